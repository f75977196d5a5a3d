"""The wiring between pilot projects and working groups: a group's page shows the pilots it
proposed, and discussion threads that point at a pilot are listed on the pilot's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from geraportal.districts.models import District
from pilots import references as pilot_references
from pilots.models import PilotImage
from tests.accounts.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from tests.workgroups.factories import (
    DocumentFactory,
    MeetingFactory,
    MembershipFactory,
    PostFactory,
    ThreadFactory,
)
from workgroups import references
from workgroups.models import Membership, Thread, ThreadReference

from .factories import MilestoneFactory, PilotFactory, PilotUpdateFactory, StatusChangeFactory, group

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "outsider", "member", "moderator", "team"]


@pytest.fixture
def energy(db):
    return group("energie-umwelt")


@pytest.fixture
def member(energy):
    return MembershipFactory(group=energy, user=UserFactory(display_name="Bernd Mitglied")).user


@pytest.fixture
def moderator(energy):
    return MembershipFactory(
        group=energy, role="moderator", user=UserFactory(display_name="Mona Moderation")
    ).user


@pytest.fixture
def outsider(db):
    """A member of another working group."""
    return MembershipFactory(group=group("wirtschaft")).user


@pytest.fixture
def viewer(request, citizen, outsider, member, moderator, team_member):
    return {
        "anonymous": None,
        "citizen": citizen,
        "outsider": outsider,
        "member": member,
        "moderator": moderator,
        "team": team_member,
    }[request.param]


def _login(client, user):
    if user is not None:
        client.force_login(user)


def _reference(thread: Thread, pilot) -> Thread:
    ThreadReference.objects.create(thread=thread, kind="pilot", object_id=pilot.pk)
    return thread


# --- The pilots section of a working group's page ----------------------------------------


def test_group_page_lists_the_pilots_the_group_proposed(client, energy):
    PilotFactory(title="Luftgüte messen", status="proposed")
    PilotFactory(title="Smarte Parkbank", status="implementation")
    PilotFactory(title="Digitale Wirtschaftsförderung", working_group=group("wirtschaft"))

    page = client.get(energy.get_absolute_url()).text

    assert "Pilotprojekte, die diese Gruppe vorgeschlagen hat" in page
    assert "Luftgüte messen" in page and "Smarte Parkbank" in page
    assert "Digitale Wirtschaftsförderung" not in page
    assert f'href="{reverse("pilots:list")}?group=energie-umwelt"' in page


def test_group_page_says_when_the_group_has_no_pilots_yet(client, energy):
    page = client.get(energy.get_absolute_url()).text

    assert "Diese Gruppe hat noch keine Pilotprojekte vorgeschlagen." in page


@pytest.mark.parametrize("viewer", ["anonymous", "citizen", "outsider"], indirect=True)
def test_draft_pilot_is_not_on_the_group_page_for_non_members(client, energy, viewer):
    PilotFactory(title="Noch geheimer Entwurf", slug="geheimer-entwurf", status="draft")
    PilotFactory(title="Öffentlicher Vorschlag", status="proposed")
    _login(client, viewer)

    page = client.get(energy.get_absolute_url()).text

    assert "Öffentlicher Vorschlag" in page
    assert "Noch geheimer Entwurf" not in page and "geheimer-entwurf" not in page


@pytest.mark.parametrize("viewer", ["member", "moderator", "team"], indirect=True)
def test_draft_pilot_is_on_the_group_page_for_members_and_the_team(client, energy, viewer):
    PilotFactory(title="Noch geheimer Entwurf", status="draft")
    _login(client, viewer)

    page = client.get(energy.get_absolute_url()).text

    assert "Noch geheimer Entwurf" in page and "Nur für Mitglieder" in page


def test_group_page_shows_the_most_recently_changed_pilots_first_up_to_ten(client, energy):
    now = timezone.now()
    for days in range(12):
        PilotFactory(title=f"Pilot vor {days:02d} Tagen", updated_at=now - timedelta(days=days))

    page = client.get(energy.get_absolute_url()).text

    assert page.index("Pilot vor 00 Tagen") < page.index("Pilot vor 09 Tagen")
    assert "Pilot vor 10 Tagen" not in page and "Pilot vor 11 Tagen" not in page


def test_group_page_still_lists_its_moderators(client, energy, moderator, member):
    client.force_login(member)

    page = client.get(energy.get_absolute_url()).text

    assert "Mona Moderation" in page
    assert "Bernd Mitglied" not in page.split('id="moderators-title"')[1].split("</section>")[0]


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("viewer", ROLES, indirect=True)
def test_group_page_with_pilots_and_ideas_needs_a_pinned_number_of_queries(
    client, energy, member, viewer, size, django_assert_num_queries
):
    for i in range(size):
        PilotFactory(status="draft" if i % 2 else "approved")
        IdeaFactory(theme=energy)
        ThreadFactory(group=energy, author=member, visibility="public" if i % 2 else "members")
        MeetingFactory(group=energy, visibility="public" if i % 2 else "members")
        DocumentFactory(group=energy, created_by=member, visibility="public" if i % 2 else "members")
    _login(client, viewer)

    # The team's 2FA check costs one more query than other logged-in people. The person's roles
    # are asked first (kept between requests in production); someone in no group gets the
    # public's page (kept) and whether they asked to join, asked apart.
    in_no_group = viewer is not None and not Membership.objects.filter(user=viewer).exists()
    queries = 7 if viewer is None else 12 if viewer.is_staff or in_no_group else 11
    with django_assert_num_queries(queries):
        response = client.get(energy.get_absolute_url())

    assert response.status_code == 200


# --- Threads that point at a pilot -------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/pilots/luftguete-messen/",
        "/pilots/luftguete-messen",
        "https://beteiligung.gera.de/pilots/luftguete-messen/?utm_source=mail#timeline",
    ],
)
def test_a_pilot_address_is_recognised_as_a_reference(address):
    pilot = PilotFactory(slug="luftguete-messen")

    assert references.parse(address) == ("pilot", pilot.pk)


@pytest.mark.parametrize(
    "address",
    [
        "/pilots/",
        "/pilots/board/",
        "/pilots/map/",
        "/pilots/new/",
        "/pilots/selection/",
        "/pilots/export.csv",
        "/pilots/luftguete-messen/edit/",
        "/pilots/luftguete-messen/feed/rss/",
        "/pilots/gibt-es-nicht/",
        "/workgroups/energie-umwelt/",
        "javascript:alert(1)",
    ],
)
def test_other_addresses_are_not_pilots(address):
    PilotFactory(slug="luftguete-messen")

    assert pilot_references.parse_url(address.split("?")[0]) is None
    assert references.parse(address) is None


def test_describe_leaves_out_drafts_for_outsiders_and_missing_pilots(citizen, member):
    public = PilotFactory(title="Luftgüte messen", status="proposed")
    draft = PilotFactory(title="Entwurf", status="draft")

    described = pilot_references.describe([public.pk, draft.pk, 999_999, 2**64], citizen)

    assert described == {public.pk: references.Target(title="Luftgüte messen", url=public.get_absolute_url())}
    assert set(pilot_references.describe([public.pk, draft.pk], member)) == {public.pk, draft.pk}


def test_member_links_a_pilot_when_starting_a_discussion(client, energy, member, citizen):
    pilot = PilotFactory(title="Luftgüte messen", status="proposed")
    client.force_login(member)

    response = client.post(
        reverse("workgroups:thread_create", kwargs={"slug": energy.slug}),
        {
            "title": "Wo stellen wir die Sensoren auf?",
            "visibility": "public",
            "body": "Vorschlag für das nächste Treffen.",
            "references": f"https://beteiligung.gera.de{pilot.get_absolute_url()}",
        },
    )

    assert response.status_code == 302
    thread = Thread.objects.get()
    assert list(thread.references.values_list("kind", "object_id")) == [("pilot", pilot.pk)]
    client.force_login(citizen)
    assert f'href="{pilot.get_absolute_url()}"' in client.get(thread.get_absolute_url()).text
    pilot_page = client.get(pilot.get_absolute_url()).text
    assert "Diskussionen zu diesem Pilotprojekt" in pilot_page
    assert f'href="{thread.get_absolute_url()}"' in pilot_page


def test_draft_pilot_is_not_shown_on_the_thread_page_to_outsiders(client, energy, member, citizen):
    pilot = PilotFactory(title="Geheimer Entwurf", status="draft")
    thread = _reference(ThreadFactory(group=energy, author=member, visibility="public"), pilot)
    PostFactory(thread=thread, author=member)

    client.force_login(member)
    assert "Geheimer Entwurf" in client.get(thread.get_absolute_url()).text
    client.force_login(citizen)
    page = client.get(thread.get_absolute_url()).text
    assert "Geheimer Entwurf" not in page and pilot.get_absolute_url() not in page


@pytest.mark.parametrize("viewer", ["anonymous", "citizen", "outsider"], indirect=True)
def test_members_only_thread_about_a_pilot_is_not_shown_to_non_members(client, energy, member, viewer):
    pilot = PilotFactory(status="approved")
    _reference(
        ThreadFactory(group=energy, author=member, title="Interne Abstimmung", visibility="members"), pilot
    )
    _login(client, viewer)

    page = client.get(pilot.get_absolute_url()).text

    assert "Interne Abstimmung" not in page and "Diskussionen zu diesem Pilotprojekt" not in page


@pytest.mark.parametrize("viewer", ["member", "moderator", "team"], indirect=True)
def test_members_only_thread_about_a_pilot_is_shown_to_members_and_the_team(client, energy, member, viewer):
    pilot = PilotFactory(status="approved")
    thread = _reference(
        ThreadFactory(group=energy, author=member, title="Interne Abstimmung", visibility="members"), pilot
    )
    _login(client, viewer)

    page = client.get(pilot.get_absolute_url()).text

    assert "Interne Abstimmung" in page and "Nur für Mitglieder" in page
    assert f'href="{thread.get_absolute_url()}"' in page


def test_hidden_thread_about_a_pilot_is_shown_only_to_the_group_moderators(client, energy, member, moderator):
    pilot = PilotFactory(status="approved")
    _reference(
        ThreadFactory(
            group=energy,
            author=member,
            title="Ausgeblendete Runde",
            visibility="public",
            hidden_at=timezone.now(),
            hidden_reason="Beleidigend",
        ),
        pilot,
    )

    assert "Ausgeblendete Runde" not in client.get(pilot.get_absolute_url()).text
    client.force_login(member)
    assert "Ausgeblendete Runde" not in client.get(pilot.get_absolute_url()).text
    client.force_login(moderator)
    assert "Ausgeblendete Runde" in client.get(pilot.get_absolute_url()).text


def test_thread_about_an_idea_with_the_same_id_is_not_listed(client, energy, member):
    pilot = PilotFactory(status="approved")
    ThreadReference.objects.create(
        thread=ThreadFactory(group=energy, author=member, title="Zur Idee", visibility="public"),
        kind="idea",
        object_id=pilot.pk,
    )

    assert "Zur Idee" not in client.get(pilot.get_absolute_url()).text


def test_pilot_page_lists_its_districts_by_name(client):
    pilot = PilotFactory(status="approved")
    pilot.districts.set(District.objects.filter(name__in=["Lusan", "Bieblach"]))
    whole_city = PilotFactory(status="approved")

    page = client.get(pilot.get_absolute_url()).text

    assert "Bieblach, Lusan" in page
    assert "ganze Stadt" in client.get(whole_city.get_absolute_url()).text


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("viewer", ROLES, indirect=True)
def test_pilot_page_with_discussions_needs_a_pinned_number_of_queries(
    client, energy, member, viewer, size, django_assert_num_queries
):
    pilot = PilotFactory(status="implementation", ideas=IdeaFactory.create_batch(2))
    pilot.districts.set(District.objects.all()[:size])
    for i in range(size):
        group_of_thread = energy if i % 2 else group("wirtschaft")
        _reference(
            ThreadFactory(
                group=group_of_thread, author=member, visibility="members" if i % 3 == 1 else "public"
            ),
            pilot,
        )
        PilotImage.objects.create(pilot=pilot, image=f"pilots/images/{i}.png", alt=f"Bild {i}")
        MilestoneFactory(pilot=pilot)
        PilotUpdateFactory(pilot=pilot)
        StatusChangeFactory(pilot=pilot, from_status="draft", to_status="proposed")
    _login(client, viewer)

    # Logged in: one more, whether the person follows it (the public pilot is kept for all).
    with django_assert_num_queries(7 if viewer is None else 12):
        response = client.get(pilot.get_absolute_url())

    assert response.status_code == 200
    assert "Diskussionen zu diesem Pilotprojekt" in response.text
