"""The back-office's writes: each one audited, the right people told, bad input refused with a message."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.backoffice import services as backoffice_services
from geraportal.core.models import StaffAction
from geraportal.notifications.models import Notification
from geraportal.pages.models import Event
from ideas import selectors as idea_selectors
from ideas import services as idea_services
from ideas.models import Competition, Criterion, Follow, Idea
from pilots.models import Pilot
from plenary import services as plenary_services
from plenary.models import Poll, PollOption
from tests.accounts.factories import UserFactory, give_mfa
from tests.ideas.factories import IdeaFactory, theme
from tests.notifications.delivery import fan_out_events


@pytest.fixture
def team(db):
    user = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(user)
    return user


@pytest.fixture
def admin(db):
    user = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(user)
    return user


def test_giving_and_taking_a_role_is_audited_and_the_person_told(admin, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert backoffice_services.role_set(user=person, role=SMARTCITY_TEAM, granted=True, by=admin)
        assert not backoffice_services.role_set(user=person, role=SMARTCITY_TEAM, granted=True, by=admin)
        assert backoffice_services.role_set(user=person, role=SMARTCITY_TEAM, granted=False, by=admin)
    fan_out_events()
    actions = list(StaffAction.objects.order_by("pk").values_list("action", "before", "after"))
    assert [a[0] for a in actions] == ["role_granted", "role_revoked"]
    assert actions[0][1]["member"] is False and actions[0][2]["member"] is True
    assert Notification.objects.filter(recipient=person, kind="roles").count() == 2
    assert not person.groups.exists()


def test_roles_page_refuses_an_unknown_address_and_keeps_it(client, admin):
    client.force_login(admin)
    url = reverse("staff:role_add", kwargs={"key": "team"})
    response = client.post(url, {"team-email": "nobody@example.org"})
    page = response.content.decode()
    assert response.status_code == 200 and "nobody@example.org" in page and "error-summary" in page
    assert not StaffAction.objects.exists()


def test_audit_log_csv_streams_and_neutralises_formulas(client, admin):
    StaffAction.objects.create(actor=admin, actor_name="=HYPERLINK(1)", action="x", summary="@SUM(A1)")
    client.force_login(admin)
    response = client.get(reverse("staff:audit_log_csv"))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body and "'@SUM(A1)" in body


def _competition(team, now):
    competition = Competition(
        title="Smart Gera 2026", slug="smart-gera-2026", description="…",
        submission_start=now - timedelta(days=20), submission_end=now - timedelta(days=1),
        results_at=now + timedelta(days=10),
    )  # fmt: skip
    juror = UserFactory()
    idea_services.competition_save(
        competition=competition,
        themes=[],
        criteria=[
            idea_services.CriterionData(name="Nutzen", description="", weight=2),
            idea_services.CriterionData(name="Machbarkeit", description="", weight=1),
        ],
        jury=[juror],
        by=team,
    )
    return competition, juror


def test_weights_decide_the_ranking_and_publishing_tells_participants_and_followers(
    team, clock, django_capture_on_commit_callbacks
):
    competition, juror = _competition(team, timezone.now())
    useful = IdeaFactory(competition=None)
    feasible = IdeaFactory(competition=None)
    Idea.objects.filter(pk__in=[useful.pk, feasible.pk]).update(competition=competition)
    follower = UserFactory()
    Follow.objects.create(idea=useful, user=follower)
    benefit, feasibility = Criterion.objects.filter(competition=competition).order_by("position")
    for idea, (b, f) in ((useful, (5, 1)), (feasible, (2, 5))):
        idea.jury_scores.create(criterion=benefit, juror=juror, score=b)
        idea.jury_scores.create(criterion=feasibility, juror=juror, score=f)
    ranking = idea_services.competition_ranking(competition=competition)
    assert [r.idea.pk for r in ranking] == [useful.pk, feasible.pk]  # 2×5+1 = 11 before 2×2+5 = 9
    Competition.objects.filter(pk=competition.pk).update(winners_count=1)
    with translation.override("en"), pytest.raises(idea_services.IdeaStateError, match="reason"):
        idea_services.competition_publish_ranking(competition=competition, reasons={}, by=team)
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.competition_publish_ranking(
            competition=competition, reasons={useful.pk: "Großer Nutzen für alle."}, by=team
        )
    fan_out_events()
    competition.refresh_from_db()
    assert competition.ranking_published_at and competition.results_published
    told = set(
        Notification.objects.filter(event_key__startswith="ideas.competition_ranking").values_list(
            "recipient", flat=True
        )
    )
    assert {useful.author_id, feasible.author_id, follower.pk} <= told
    with pytest.raises(idea_services.IdeaStateError):
        idea_services.competition_publish_ranking(competition=competition, reasons={}, by=team)


def test_changing_criteria_after_scoring_is_refused(team, clock):
    competition, juror = _competition(team, timezone.now())
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(competition=competition)
    idea.jury_scores.create(criterion=competition.criteria.first(), juror=juror, score=3)
    with translation.override("en"), pytest.raises(Exception, match="already scored"):
        idea_services.competition_save(
            competition=competition, themes=[], jury=[juror], by=team,
            criteria=[idea_services.CriterionData(name="Neu", description="", weight=1)],
        )  # fmt: skip


def test_an_idea_from_a_workshop_shows_its_source_and_counts_apart(client, team, clock):
    now = timezone.now()
    event = Event.objects.create(
        title="Mobilität", starts_at=now, ends_at=now + timedelta(hours=2), location="Rathaus"
    )
    idea = Idea(title="Busse im Takt", body="Bitte öfter fahren.", theme=theme("stadtentwicklung-verkehr"))
    origin = idea_services.OfflineSource(source="workshop", event=event, on_behalf_of="Frau K.")
    idea = idea_services.idea_submit_on_behalf(idea=idea, origin=origin, by=team)
    assert idea.author == team and idea.consent_at and idea.source_event == event
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Frau K." in page and "Mobilität" in page
    rows = {r["source"]: r["ideas"] for r in idea_selectors.contributions_by_source()}
    assert rows["workshop"] == 1
    workshop_page = client.get(reverse("events:workshop", kwargs={"pk": event.pk})).content.decode()
    assert "Busse im Takt" in workshop_page
    assert StaffAction.objects.filter(action="idea_entered_on_behalf").exists()


def test_an_idea_for_a_known_address_belongs_to_that_account(team, clock):
    citizen = UserFactory()
    idea = Idea(title="Bänke", body="Mehr Bänke.", theme=theme())
    origin = idea_services.OfflineSource(
        source="phone", date=timezone.localdate(), contact_email=citizen.email
    )
    idea = idea_services.idea_submit_on_behalf(idea=idea, origin=origin, by=team)
    assert idea.author == citizen and idea.entered_by == team


def test_contribution_form_without_consent_keeps_everything(client, team):
    client.force_login(team)
    data = {"origin-source": "phone", "title": "Mein Titel", "body": "Text", "theme": theme().pk}
    response = client.post(reverse("staff:contribution_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Mein Titel"' in page and "error-summary" in page
    assert not Idea.objects.exists()


def test_propose_as_pilot_makes_a_draft_in_the_ideas_group(client, team):
    idea = IdeaFactory(theme=theme("energie-umwelt"))
    client.force_login(team)
    response = client.post(reverse("pilots:from_idea", kwargs={"idea_pk": idea.pk}))
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and pilot.status == "draft"
    assert pilot.working_group == idea.theme and list(pilot.source_ideas.all()) == [idea]


def test_opening_a_poll_tells_the_eligible_and_publishing_tells_them_the_result(
    team, django_capture_on_commit_callbacks
):
    group = theme("energie-umwelt")
    pilots = [
        Pilot.objects.create(title=t, slug=t.lower(), summary="…", working_group=group, status="proposed")
        for t in ("Solarleuchte", "Mobilitaetsinsel")
    ]
    voter = UserFactory()
    poll = Poll(
        title="Welche zuerst?", method="approval", max_choices=1, eligibility="citizens", secret=False
    )
    poll = plenary_services.poll_save(poll=poll, pilots=pilots, groups=[], by=team)
    assert PollOption.objects.filter(poll=poll).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        plenary_services.poll_open(poll=poll, by=team)
    fan_out_events()
    assert Notification.objects.filter(recipient=voter, event_key=f"plenary.poll_opened:{poll.pk}").exists()
    option = poll.options.first()
    plenary_services.ballot_cast(poll=poll, user=voter, choices={option.pk: 1}, submission_key="k1")
    plenary_services.poll_close(poll=poll, by=team)
    with django_capture_on_commit_callbacks(execute=True):
        plenary_services.poll_publish(poll=poll, by=team)
    fan_out_events()
    assert Notification.objects.filter(
        recipient=voter, event_key=f"plenary.poll_published:{poll.pk}"
    ).exists()
    assert StaffAction.objects.filter(action="plenary.poll_published").exists()


def test_poll_form_refuses_points_without_budget_and_keeps_the_input(client, team):
    client.force_login(team)
    data = {"title": "Punkte", "method": "points", "eligibility": "citizens"}
    response = client.post(reverse("staff:plenary_poll_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Punkte"' in page and "error-summary" in page
    assert not Poll.objects.exists()


def test_start_page_lists_what_waits_with_links(client, team, clock):
    IdeaFactory(created_at=timezone.now() - timedelta(days=30))
    client.force_login(team)
    page = client.get(reverse("staff:home")).content.decode()
    assert reverse("ideas:moderation") in page and reverse("staff:competition_list") in page
    assert reverse("strategy:staff") in page
