"""The demo content tells one consistent history (issue 17)."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from geraportal.districts.models import District
from geraportal.notifications.models import Notification, OutboxEmail
from geraportal.strategy.models import Phase, StrategyEdition
from ideas.models import Competition, Idea
from pilots.models import Pilot, PilotStatusChange
from pilots.selectors import progress_percent
from plenary.models import Meeting, Poll
from plenary.services import poll_result


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)


def test_seeding_sends_no_mail_and_notifies_nobody(seeded):
    assert OutboxEmail.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_plenary_result_of_2020_equals_the_pilots_recorded_ranks(seeded):
    poll = Poll.objects.get(meeting__slug="plenum-2020-11-20")
    assert poll.status == Poll.Status.PUBLISHED
    assert timezone.localdate(poll.published_at) == datetime.date(2020, 11, 20)
    result = poll_result(poll=poll)
    pilots = {o.pk: o.pilot for o in poll.options.select_related("pilot")}
    assert len(result.options) == 22
    assert {row.option_id: row.rank for row in result.options} == {
        pk: pilot.plenary_rank for pk, pilot in pilots.items()
    }
    by_rank = {pilot.plenary_rank: pilot.title for pilot in pilots.values()}
    assert by_rank[1] == "Bürger-Serviceportal und digitale Bürgerdienste"
    assert by_rank[2] == "Mobilitätsinsel"
    # Only the proposals of that time are on the agenda; none of them is still "proposed".
    assert not any(pilot.status == Pilot.Status.PROPOSED for pilot in pilots.values())


def test_the_fourteen_pilots_have_places_and_progress_matching_their_status(seeded):
    selected = Pilot.objects.filter(council_date=datetime.date(2021, 2, 24))
    assert selected.count() == 14
    for pilot in selected:
        assert pilot.is_located, pilot.title
        milestones = list(pilot.milestones.all())
        done = sum(m.done_date is not None for m in milestones)
        if pilot.status == Pilot.Status.COMPLETED:
            assert progress_percent(done, len(milestones)) == 100, pilot.title
            assert all(m.done_date <= pilot.actual_end for m in milestones)
        else:
            assert 0 < progress_percent(done, len(milestones)) < 100, pilot.title
        assert pilot.summary not in pilot.description
        assert not pilot.plenary_note.startswith("Rang")  # the page says "Rank n: <note>"


def test_the_history_of_the_strategy_phase_is_dated_then_not_today(seeded):
    selected = Pilot.objects.filter(council_date=datetime.date(2021, 2, 24))
    changes = PilotStatusChange.objects.filter(pilot__in=selected)
    assert changes.count() >= 14 * 4
    to_council = changes.filter(to_status__in=[Pilot.Status.APPROVED, Pilot.Status.REJECTED])
    assert {timezone.localdate(c.created_at) for c in to_council} == {datetime.date(2021, 2, 24)}
    today = timezone.localdate()
    for change in changes.filter(to_status__in=[Pilot.Status.PRIORITISED, Pilot.Status.SELECTED]):
        assert timezone.localdate(change.created_at) < datetime.date(2021, 1, 1), change
    assert not changes.filter(created_at__date=today).exists()


def test_ideas_span_districts_and_themes_and_a_dozen_are_open(seeded):
    ideas = Idea.objects.all()
    assert ideas.count() >= 60
    assert ideas.filter(status__in=[Idea.Status.PUBLISHED, Idea.Status.IN_REVIEW]).count() >= 12
    assert ideas.values("theme").distinct().count() == 5
    assert not District.objects.exclude(ideas__isnull=False).exists()
    competition = Competition.objects.get(slug="ideenwettbewerb-2020")
    assert competition.submission_start.year == competition.submission_end.year == 2020
    assert ideas.filter(competition=competition).count() >= 10
    assert ideas.filter(body__contains="Workshop").count() >= 10
    assert ideas.filter(created_at__year=2020).exists()


def test_there_are_things_to_do_today(seeded):
    now = timezone.now()
    assert any(edition.phase() == Phase.CONSULTATION for edition in StrategyEdition.objects.all())
    assert Competition.objects.filter(submission_start__lte=now, submission_end__gt=now).exists()
    upcoming = Meeting.objects.filter(starts_at__gt=now).get()
    assert upcoming.polls.filter(status=Poll.Status.OPEN, eligibility=Poll.Eligibility.CITIZENS).exists()


def test_seeding_reports_the_true_number_of_eligible_voters(db, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    reported = [int(n) for n in re.findall(r"\((\d+) eligible", out.getvalue())]
    polls = Poll.objects.filter(status=Poll.Status.OPEN)
    assert sorted(reported) == sorted(poll.eligible_voters.count() for poll in polls)
    assert len(reported) == 2
    assert all(reported)
