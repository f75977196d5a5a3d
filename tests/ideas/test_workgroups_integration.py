"""The wiring between ideas and working groups: a group's page shows the ideas of its theme,
and discussion threads that point at an idea are listed on the idea's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import references as idea_references
from tests.accounts.factories import UserFactory
from tests.workgroups.factories import MembershipFactory, PostFactory, ThreadFactory
from workgroups import references
from workgroups.models import Thread, ThreadReference

from .factories import IdeaFactory, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def energy(db):
    return theme("energie-umwelt")


@pytest.fixture
def member(energy):
    return MembershipFactory(group=energy, user=UserFactory(display_name="Bernd Mitglied")).user


@pytest.fixture
def moderator(energy):
    return MembershipFactory(group=energy, role="moderator").user


def _reference(thread: Thread, idea) -> Thread:
    ThreadReference.objects.create(thread=thread, kind="idea", object_id=idea.pk)
    return thread


# --- The ideas section of a working group's page -----------------------------------------


def test_group_page_lists_the_newest_ideas_of_its_theme(client, energy):
    now = timezone.now()
    for days in range(7):
        IdeaFactory(title=f"Energie-Idee vor {days} Tagen", created_at=now - timedelta(days=days))
    IdeaFactory(title="Idee zur Wirtschaft", theme=theme("wirtschaft"))

    page = client.get(energy.get_absolute_url()).text

    assert "Ideen zu diesem Thema" in page
    shown = [f"Energie-Idee vor {days} Tagen" for days in range(5)]
    assert all(title in page for title in shown)
    assert page.index(shown[0]) < page.index(shown[4])  # newest first
    assert "Energie-Idee vor 5 Tagen" not in page and "Energie-Idee vor 6 Tagen" not in page
    assert "Idee zur Wirtschaft" not in page


@pytest.mark.parametrize("viewer", ["anonymous", "citizen", "member"])
def test_group_page_does_not_show_hidden_ideas(client, energy, citizen, member, viewer):
    IdeaFactory(title="Sichtbare Idee")
    IdeaFactory(title="Ausgeblendete Idee", hidden=True, hidden_reason="Werbung")
    user = {"anonymous": None, "citizen": citizen, "member": member}[viewer]
    if user:
        client.force_login(user)

    page = client.get(energy.get_absolute_url()).text

    assert "Sichtbare Idee" in page
    assert "Ausgeblendete Idee" not in page


def test_group_moderator_sees_hidden_idea_of_the_theme_marked_as_hidden(client, energy, moderator):
    IdeaFactory(title="Ausgeblendete Idee", hidden=True, hidden_reason="Werbung")
    client.force_login(moderator)

    page = client.get(energy.get_absolute_url()).text

    assert "Ausgeblendete Idee" in page and "ausgeblendet" in page


def test_group_page_links_to_the_idea_list_filtered_by_its_theme(client, energy):
    page = client.get(energy.get_absolute_url()).text

    assert f'href="{reverse("ideas:list")}?theme=energie-umwelt"' in page
    assert f'href="{reverse("ideas:list")}?theme=energie-umwelt&amp;sort=supported"' in page
    assert "Noch keine Ideen zu diesem Thema." in page


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("role", ["anonymous", "citizen", "member", "moderator", "team"])
def test_group_page_with_ideas_needs_a_pinned_number_of_queries(
    client, energy, citizen, member, moderator, team_member, role, size, django_assert_num_queries
):
    for i in range(size):
        IdeaFactory(hidden=i % 3 == 0, hidden_reason="Werbung" if i % 3 == 0 else "")
        ThreadFactory(group=energy, author=member, visibility="public" if i % 2 else "members")
    user = {
        "anonymous": None,
        "citizen": citizen,
        "member": member,
        "moderator": moderator,
        "team": team_member,
    }[role]
    if user:
        client.force_login(user)

    # Logged in: session, user, memberships and the roles' checks; the team's 2FA check one more.
    # The roles are asked first (kept between requests in production); someone outside every
    # group gets the public's page (kept) and whether they asked to join.
    queries = {"anonymous": 7, "citizen": 12, "member": 11, "moderator": 11, "team": 12}[role]
    with django_assert_num_queries(queries):
        response = client.get(energy.get_absolute_url())

    assert response.status_code == 200


# --- Threads that point at an idea -------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/ideas/42/",
        "/ideas/42",
        "/ideas/42-mehr-solarbaenke/",
        "https://beteiligung.gera.de/ideas/42-mehr-solarbaenke/?utm_source=mail#kommentare",
    ],
)
def test_an_idea_address_is_recognised_as_a_reference(address):
    assert references.parse(address) == ("idea", 42)


@pytest.mark.parametrize(
    "address",
    [
        "/ideas/",
        "/ideas/new/",
        "/ideas/map/",
        "/ideas/42/edit/",
        "/ideas/competitions/sommer/",
        "/workgroups/energie-umwelt/",
        "/ideas/0/",
        f"/ideas/{2**64}/",
        "/ideas/-1/",
        "javascript:alert(1)",
    ],
)
def test_other_addresses_are_not_ideas(address):
    assert idea_references.parse_url(address.split("?")[0]) is None
    assert references.parse(address) is None


def test_describe_leaves_out_hidden_and_missing_ideas(citizen):
    visible = IdeaFactory(title="Solarbänke")
    hidden = IdeaFactory(hidden=True, hidden_reason="Werbung")

    described = idea_references.describe([visible.pk, hidden.pk, 999_999], citizen)

    assert described == {visible.pk: references.Target(title="Solarbänke", url=visible.get_absolute_url())}


def test_member_links_an_idea_when_starting_a_discussion(client, energy, member, citizen):
    idea = IdeaFactory(title="Solarbänke am Markt")
    client.force_login(member)

    response = client.post(
        reverse("workgroups:thread_create", kwargs={"slug": energy.slug}),
        {
            "title": "Wie setzen wir die Solarbänke um?",
            "visibility": "public",
            "body": "Vorschlag für das nächste Treffen.",
            "references": f"https://beteiligung.gera.de{idea.get_absolute_url()}",
        },
    )

    assert response.status_code == 302
    thread = Thread.objects.get()
    assert list(thread.references.values_list("kind", "object_id")) == [("idea", idea.pk)]
    client.force_login(citizen)
    assert f'href="{idea.get_absolute_url()}"' in client.get(thread.get_absolute_url()).text
    assert thread.get_absolute_url() in client.get(idea.get_absolute_url()).text


def test_hidden_idea_is_not_shown_on_the_thread_page_to_outsiders(client, energy, member, citizen):
    idea = IdeaFactory(title="Geheime Idee", hidden=True, hidden_reason="Werbung")
    thread = _reference(ThreadFactory(group=energy, author=member, visibility="public"), idea)
    PostFactory(thread=thread, author=member)
    client.force_login(citizen)

    page = client.get(thread.get_absolute_url()).text

    assert "Geheime Idee" not in page and idea.get_absolute_url() not in page


def test_public_thread_about_an_idea_shows_on_the_idea_page_for_everyone(client, energy, member):
    idea = IdeaFactory()
    thread = _reference(
        ThreadFactory(group=energy, author=member, title="Öffentliche Runde", visibility="public"), idea
    )

    page = client.get(idea.get_absolute_url()).text

    assert "Diskussionen zu dieser Idee" in page
    assert f'href="{thread.get_absolute_url()}"' in page and "Öffentliche Runde" in page


def test_members_only_thread_about_an_idea_shows_on_the_idea_page_for_members_only(
    client, energy, member, citizen
):
    idea = IdeaFactory()
    outsider_of_energy = MembershipFactory(group=theme("wirtschaft")).user
    _reference(ThreadFactory(group=energy, author=member, title="Interne Abstimmung"), idea)

    client.force_login(member)
    member_page = client.get(idea.get_absolute_url()).text
    assert "Interne Abstimmung" in member_page and "Nur für Mitglieder" in member_page

    for outsider in (citizen, outsider_of_energy):
        client.force_login(outsider)
        page = client.get(idea.get_absolute_url()).text
        assert "Interne Abstimmung" not in page and "Diskussionen zu dieser Idee" not in page
    client.logout()
    assert "Interne Abstimmung" not in client.get(idea.get_absolute_url()).text


def test_hidden_thread_about_an_idea_is_shown_only_to_the_group_moderators(client, energy, member, moderator):
    idea = IdeaFactory()
    _reference(
        ThreadFactory(
            group=energy,
            author=member,
            title="Ausgeblendete Runde",
            visibility="public",
            hidden_at=timezone.now(),
            hidden_reason="Beleidigend",
        ),
        idea,
    )

    assert "Ausgeblendete Runde" not in client.get(idea.get_absolute_url()).text
    client.force_login(moderator)
    assert "Ausgeblendete Runde" in client.get(idea.get_absolute_url()).text


def test_thread_about_another_idea_is_not_listed(client, energy, member):
    idea, other = IdeaFactory(), IdeaFactory()
    _reference(
        ThreadFactory(group=energy, author=member, title="Zur anderen Idee", visibility="public"), other
    )

    assert "Zur anderen Idee" not in client.get(idea.get_absolute_url()).text


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("role", ["anonymous", "citizen", "member", "moderator", "team"])
def test_idea_page_with_discussions_needs_a_pinned_number_of_queries(
    client, energy, citizen, member, moderator, team_member, role, size, django_assert_num_queries
):
    idea = IdeaFactory()
    business = theme("wirtschaft")
    for i in range(size):
        group = energy if i % 2 else business
        _reference(
            ThreadFactory(group=group, author=member, visibility="public" if i % 3 else "members"), idea
        )
    user = {
        "anonymous": None,
        "citizen": citizen,
        "member": member,
        "moderator": moderator,
        "team": team_member,
    }[role]
    if user:
        client.force_login(user)

    with django_assert_num_queries(4 if role == "anonymous" else 10):
        response = client.get(idea.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "citizen", "member", "moderator", "team"])
def test_thread_page_pointing_at_ideas_needs_a_pinned_number_of_queries(
    client, energy, citizen, member, moderator, team_member, role, django_assert_num_queries
):
    thread = ThreadFactory(group=energy, author=member, visibility="public")
    ideas = IdeaFactory.create_batch(4)
    for idea in ideas:
        _reference(thread, idea)
    for _ in range(5):
        PostFactory(thread=thread, author=member)
    user = {
        "anonymous": None,
        "citizen": citizen,
        "member": member,
        "moderator": moderator,
        "team": team_member,
    }[role]
    if user:
        client.force_login(user)

    for visit in ("first", "again"):
        PostFactory(thread=thread, author=citizen)  # something new each time
        # A member's first visit records where they have read up to; later visits update it.
        queries = {"anonymous": 4, "citizen": 8, "member": 10, "moderator": 10, "team": 11}[role]
        if visit == "again" and role in ("member", "moderator", "team"):
            queries -= 1
        with django_assert_num_queries(queries):
            response = client.get(thread.get_absolute_url())
        assert response.status_code == 200, visit
        assert all(f'href="{idea.get_absolute_url()}"' in response.text for idea in ideas)
