"""The lifecycle: every status × every transition × every role, generated from the tables."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from geraportal.notifications.models import Notification
from ideas.models import Idea
from ideas.models import StatusChange as IdeaStatusChange
from ideas.notifications import IDEA_STATUS
from pilots import services
from pilots.models import TRANSITIONS, Pilot, PilotStatusChange, can_transition
from pilots.notifications import PILOT_UPDATE
from tests.ideas.factories import IdeaFactory
from tests.notifications.delivery import fan_out_events

from .factories import PilotFactory

pytestmark = pytest.mark.django_db

COUNCIL = {"council_date": datetime.date(2021, 2, 24), "resolution": "DS 2021/123"}

# transition name -> (service, extra arguments, status it leads to)
STEPS = {
    "propose": (services.pilot_propose, {}, "proposed"),
    "record_plenary_result": (
        services.pilot_record_plenary_result,
        {"rank": 3, "note": "212 Stimmen"},
        "prioritised",
    ),
    "select": (services.pilot_select, {"rationale": "Hoher Nutzen für die Innenstadt."}, "selected"),
    "approve": (services.pilot_approve, COUNCIL, "approved"),
    "reject": (services.pilot_reject, COUNCIL, "rejected"),
    "start_tendering": (services.pilot_start_tendering, {}, "tendering"),
    "start_implementation": (services.pilot_start_implementation, {}, "implementation"),
    "complete": (services.pilot_complete, {}, "completed"),
    "cancel": (services.pilot_cancel, {"reason": "Fördermittel entfallen."}, "cancelled"),
}

ROLES = [
    "anonymous",
    "citizen",
    "group_member",
    "group_moderator",
    "other_group_moderator",
    "strategy_member",
    "team_member",
    "team_member_without_mfa",
]

# Who may take each step (whatever the status).
MAY = {
    "propose": {"group_moderator", "team_member"},
    "record_plenary_result": {"team_member"},
    "select": {"strategy_member"},
    "approve": {"team_member"},
    "reject": {"team_member"},
    "start_tendering": {"team_member"},
    "start_implementation": {"team_member"},
    "complete": {"team_member"},
    "cancel": {"team_member"},
}


# Who sees a draft at all: for everyone else it does not exist (404).
DRAFT_VIEWERS = {"group_member", "group_moderator", "team_member"}

# What each step's form posts besides the status the person saw.
FORM = {
    "record_plenary_result": {"rank": "3", "note": "212 Stimmen"},
    "select": {"note": "Hoher Nutzen für die Innenstadt."},
    "approve": {"council_date": "2021-02-24", "resolution": "DS 2021/123"},
    "reject": {"council_date": "2021-02-24", "resolution": "DS 2021/123"},
    "cancel": {"note": "Fördermittel entfallen."},
}


def test_the_table_matches_the_design():
    assert TRANSITIONS["draft"] == {"proposed"}
    assert TRANSITIONS["selected"] == {"approved", "rejected"}
    assert {s for s, targets in TRANSITIONS.items() if "cancelled" in targets} == {
        "approved",
        "tendering",
        "implementation",
    }
    assert TRANSITIONS["completed"] == TRANSITIONS["rejected"] == TRANSITIONS["cancelled"] == set()
    assert set(TRANSITIONS) == set(Pilot.Status.values)


@pytest.mark.parametrize(("status", "step"), list(itertools.product(Pilot.Status.values, STEPS)))
def test_transition_matrix(request, status, step, idea_author):
    """Every status × every step, by someone who may take the step: done, or refused by the table."""
    service, extra, target = STEPS[step]
    idea = IdeaFactory(author=idea_author)
    pilot = PilotFactory(status=status, ideas=[idea])
    actor = request.getfixturevalue(sorted(MAY[step])[0])

    if can_transition(status, target):
        result = service(pilot=pilot, by=actor, expected_status=status, **extra)
        assert result.status == target
        pilot.refresh_from_db()
        assert pilot.status == target
        change = PilotStatusChange.objects.get(pilot=pilot)
        assert (change.from_status, change.to_status, change.actor) == (status, target, actor)
        # The citizen whose idea it came from always hears of it.
        fan_out_events()
        kinds = set(Notification.objects.filter(recipient=idea_author).values_list("kind", flat=True))
        assert kinds & {PILOT_UPDATE, IDEA_STATUS}
        return

    with pytest.raises(services.PilotStateError):
        service(pilot=pilot, by=actor, **extra)
    pilot.refresh_from_db()
    assert pilot.status == status
    assert not PilotStatusChange.objects.filter(pilot=pilot).exists()
    fan_out_events()
    assert not Notification.objects.filter(recipient=idea_author).exists()


@pytest.mark.parametrize(
    ("status", "step", "role"),
    [
        (status, step, role)
        for status, step, role in itertools.product(Pilot.Status.values, STEPS, ROLES)
        if role not in MAY[step]
    ],
)
def test_transition_refused_to_everyone_else(client, request, status, step, role, idea_author):
    """Every status × every step × every role that may not take it: refused by the view, nothing written.

    Services check the data, not the person; the permission is the view's (`require_perm`).
    """
    _, _, target = STEPS[step]
    pilot = PilotFactory(status=status, ideas=[IdeaFactory(author=idea_author)])
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("pilots:transition", args=[pilot.slug, target]),
        {"expected_status": status, **FORM.get(step, {})},
    )
    if status == "draft" and role not in DRAFT_VIEWERS:
        assert response.status_code == 404
    elif role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    pilot.refresh_from_db()
    assert pilot.status == status
    assert not PilotStatusChange.objects.filter(pilot=pilot).exists()
    assert not Notification.objects.filter(recipient=idea_author).exists()


# --- What each step records ---------------------------------------------------------------


def test_proposing_marks_the_source_ideas_adopted_with_a_link_to_the_pilot(pilot, idea, group_moderator):
    services.pilot_propose(pilot=pilot, by=group_moderator)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ADOPTED
    change = IdeaStatusChange.objects.get(idea=idea, to_status="adopted")
    assert change.pilot_url == pilot.get_absolute_url()
    assert change.pilot_title == "Luftgüte messen"


def test_proposing_skips_merged_ideas(group_moderator, idea_author):
    target = IdeaFactory()
    merged = IdeaFactory(author=idea_author, status="merged", merged_into=target)
    pilot = PilotFactory(status="draft", ideas=[merged])
    services.pilot_propose(pilot=pilot, by=group_moderator)
    merged.refresh_from_db()
    assert merged.status == "merged"
    assert Pilot.objects.get(pk=pilot.pk).status == "proposed"


def test_author_is_told_once_when_the_pilot_is_proposed(pilot, idea_author, group_moderator):
    services.pilot_propose(pilot=pilot, by=group_moderator)
    fan_out_events()
    assert Notification.objects.filter(recipient=idea_author).count() == 1


def test_author_gets_the_personal_message_when_the_council_approves(idea_author, team_member):
    from geraportal.notifications.rendering import notification_title

    idea = IdeaFactory(author=idea_author, title="Müll smart abholen")
    pilot = PilotFactory(status="selected", title="Smarte Müllentsorgung", ideas=[idea])
    services.pilot_approve(pilot=pilot, by=team_member, **COUNCIL)
    fan_out_events()
    notification = Notification.objects.get(recipient=idea_author, kind=PILOT_UPDATE)
    with translation.override("en"):
        fan_out_events()
        title = notification_title(notification)
    assert title == (
        "Your idea “Müll smart abholen” is now part of the pilot project “Smarte Müllentsorgung”, "
        "which the city council approved on 24 February 2021."
    )
    with translation.override("de"):
        fan_out_events()
        title = notification_title(notification)
    assert title == (
        "Ihre Idee „Müll smart abholen“ ist jetzt Teil des Pilotprojekts „Smarte Müllentsorgung“, "
        "das der Stadtrat am 24. Februar 2021 beschlossen hat."
    )


def test_followers_supporters_and_idea_followers_are_told_and_the_actor_is_not(team_member, idea_author):
    from ideas.models import Follow, Support
    from pilots.models import PilotFollow
    from tests.accounts.factories import UserFactory

    idea = IdeaFactory(author=idea_author)
    supporter, idea_follower, pilot_follower = UserFactory(), UserFactory(), UserFactory()
    Support.objects.create(idea=idea, user=supporter)
    Follow.objects.create(idea=idea, user=idea_follower)
    pilot = PilotFactory(status="approved", ideas=[idea])
    PilotFollow.objects.create(pilot=pilot, user=pilot_follower)
    PilotFollow.objects.create(pilot=pilot, user=team_member)
    services.pilot_start_tendering(pilot=pilot, by=team_member)
    fan_out_events()
    told = set(Notification.objects.filter(kind=PILOT_UPDATE).values_list("recipient", flat=True))
    assert told == {idea_author.pk, supporter.pk, idea_follower.pk, pilot_follower.pk}


def test_plenary_result_records_rank_and_note(team_member):
    pilot = PilotFactory(status="proposed")
    services.pilot_record_plenary_result(pilot=pilot, by=team_member, rank=2, note="180 Ja-Stimmen")
    pilot.refresh_from_db()
    assert (pilot.status, pilot.plenary_rank, pilot.plenary_note) == ("prioritised", 2, "180 Ja-Stimmen")


def test_plenary_result_may_be_recorded_by_the_portal_itself():
    pilot = PilotFactory(status="proposed")
    services.pilot_record_plenary_result(pilot=pilot, by=None, rank=1)
    assert PilotStatusChange.objects.get(pilot=pilot).actor is None


@pytest.mark.parametrize("rank", [0, -1])
def test_plenary_rank_must_be_positive(team_member, rank):
    pilot = PilotFactory(status="proposed")
    with pytest.raises(services.ValidationError):
        services.pilot_record_plenary_result(pilot=pilot, by=team_member, rank=rank)
    assert Pilot.objects.get(pk=pilot.pk).status == "proposed"


def test_council_decision_without_date_is_refused_and_nothing_is_written(team_member):
    pilot = PilotFactory(status="selected")
    with pytest.raises(services.ValidationError) as error:
        services.pilot_approve(pilot=pilot, by=team_member, council_date=None, resolution="DS 2021/1")
    assert "council_date" in error.value.message_dict
    assert Pilot.objects.get(pk=pilot.pk).status == "selected"
    assert not PilotStatusChange.objects.filter(pilot=pilot).exists()


def test_council_decision_without_resolution_number_is_refused(team_member):
    pilot = PilotFactory(status="selected")
    with pytest.raises(services.ValidationError) as error:
        services.pilot_reject(
            pilot=pilot, by=team_member, council_date=datetime.date(2021, 2, 24), resolution=" "
        )
    assert "resolution" in error.value.message_dict


def test_council_decision_in_the_future_is_refused(team_member, clock_in_march_2021):
    pilot = PilotFactory(status="selected")
    with pytest.raises(services.ValidationError):
        services.pilot_approve(
            pilot=pilot, by=team_member, council_date=datetime.date(2021, 3, 5), resolution="DS 1"
        )


def test_council_decision_is_recorded_on_pilot_and_history(team_member):
    pilot = PilotFactory(status="selected")
    services.pilot_approve(pilot=pilot, by=team_member, **COUNCIL)
    pilot.refresh_from_db()
    change = PilotStatusChange.objects.get(pilot=pilot)
    assert (pilot.council_date, pilot.council_resolution) == (datetime.date(2021, 2, 24), "DS 2021/123")
    assert (change.council_date, change.council_resolution) == (datetime.date(2021, 2, 24), "DS 2021/123")


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_needs_a_reason(team_member, reason):
    pilot = PilotFactory(status="implementation")
    with pytest.raises(services.ValidationError):
        services.pilot_cancel(pilot=pilot, by=team_member, reason=reason)
    assert Pilot.objects.get(pk=pilot.pk).status == "implementation"


def test_select_needs_a_rationale(strategy_member):
    pilot = PilotFactory(status="prioritised")
    with pytest.raises(services.ValidationError):
        services.pilot_select(pilot=pilot, by=strategy_member, rationale="")


def test_implementation_and_completion_record_the_actual_dates(team_member, clock_in_march_2021):
    pilot = PilotFactory(status="tendering")
    services.pilot_start_implementation(pilot=pilot, by=team_member)
    clock_in_march_2021.shift(datetime.timedelta(days=100))
    services.pilot_complete(pilot=pilot, by=team_member)
    pilot.refresh_from_db()
    assert pilot.actual_start == datetime.date(2021, 3, 1)
    assert pilot.actual_end == datetime.date(2021, 6, 9)


def test_completion_before_the_start_is_refused(team_member, clock_in_march_2021):
    pilot = PilotFactory(status="implementation", actual_start=datetime.date(2021, 2, 1))
    with pytest.raises(services.ValidationError):
        services.pilot_complete(pilot=pilot, by=team_member, completed_on=datetime.date(2021, 1, 15))
    assert Pilot.objects.get(pk=pilot.pk).status == "implementation"


# --- Two people at the same moment ----------------------------------------------------------


def test_second_of_two_concurrent_transitions_gets_a_clear_message_and_no_second_row(team_member):
    from geraportal.accounts.roles import SMARTCITY_TEAM
    from tests.accounts.factories import UserFactory, give_mfa

    colleague = UserFactory(roles=[SMARTCITY_TEAM])
    give_mfa(colleague)
    pilot = PilotFactory(status="approved")
    services.pilot_start_tendering(pilot=pilot, by=team_member, expected_status="approved")
    with pytest.raises(services.PilotConflictError) as error:
        services.pilot_start_tendering(pilot=pilot, by=colleague, expected_status="approved")
    assert "in the meantime" in error.value.messages[0] or "zwischenzeitlich" in error.value.messages[0]
    assert PilotStatusChange.objects.filter(pilot=pilot).count() == 1


def test_conflicting_different_steps_do_not_both_happen(team_member):
    pilot = PilotFactory(status="implementation")
    services.pilot_complete(pilot=pilot, by=team_member, expected_status="implementation")
    with pytest.raises(services.PilotConflictError):
        services.pilot_cancel(
            pilot=pilot, by=team_member, reason="zu teuer", expected_status="implementation"
        )
    assert list(PilotStatusChange.objects.filter(pilot=pilot).values_list("to_status", flat=True)) == [
        "completed"
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_moving_the_same_pilot_write_one_history_row(reference_data_pg):
    import threading

    from django.db import connection

    from geraportal.accounts.roles import SMARTCITY_TEAM
    from tests.accounts.factories import UserFactory, give_mfa

    people = [UserFactory(roles=[SMARTCITY_TEAM]) for _ in range(2)]
    for person in people:
        give_mfa(person)
    pilot = PilotFactory(status="approved")
    barrier = threading.Barrier(2)
    outcomes = []

    def move(person):
        try:
            barrier.wait()
            services.pilot_start_tendering(pilot=pilot, by=person, expected_status="approved")
            outcomes.append("ok")
        except services.PilotConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert PilotStatusChange.objects.filter(pilot=pilot).count() == 1


@pytest.fixture
def reference_data_pg(transactional_db):
    """Transactional tests empty the tables the migrations seeded; seed them again."""
    import importlib

    from django.apps import apps

    for target in (
        "geraportal.accounts.migrations.0002_roles:create_groups",
        "workgroups.migrations.0002_five_groups:seed",
    ):
        module, func = target.split(":")
        getattr(importlib.import_module(module), func)(apps, None)
