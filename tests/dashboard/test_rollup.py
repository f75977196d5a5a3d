"""The nightly roll-up: today's activity counted live on top of it, each person once a month,
and a rebuild that takes in what changed in the past (a hidden idea) — see dashboard.rollup."""

import datetime

from django.core.management import call_command

from dashboard import rollup, selectors
from dashboard.models import ActiveMonth, DailyCount, RollupState
from dashboard.selectors import Period
from ideas.models import Idea, Support
from tests.accounts.factories import UserFactory
from tests.ideas.factories import CommentFactory, IdeaFactory

from .conftest import at

MAY = datetime.date(2026, 5, 1)
MAY_ON = Period(start=MAY, end=datetime.date(2026, 6, 1))


def active(public: bool = False) -> dict:
    figure = selectors.participants_by_month(period=MAY_ON, public=public)
    return {row[0]: row[2] for row in figure.rows}


def test_someone_active_before_and_after_the_roll_up_counts_once(dataset, clock):
    rollup.rebuild(today=datetime.date(2026, 5, 20))
    before = active()
    anna = dataset["anna"]
    CommentFactory(
        author=anna, idea=Idea.objects.first(), created_at=at(2026, 5, 25)
    )  # active in May already
    newcomer = UserFactory(date_joined=at(2026, 5, 25))
    CommentFactory(author=newcomer, idea=Idea.objects.first(), created_at=at(2026, 5, 25))
    assert active()[MAY] == before[MAY] + 1


def test_today_is_counted_live_on_top_of_the_roll_up(dataset, clock):
    rollup.rebuild()
    figure = selectors.comments_and_supports_by_month(period=MAY_ON, public=True)
    before = {row[0]: row[1] for row in figure.rows}
    CommentFactory(idea=Idea.objects.filter(hidden=False).first())  # now: 1 June
    figure = selectors.comments_and_supports_by_month(period=MAY_ON, public=True)
    assert {row[0]: row[1] for row in figure.rows}[datetime.date(2026, 6, 1)] == before[
        datetime.date(2026, 6, 1)
    ] + 1


def test_a_rebuild_takes_in_what_changed_in_the_past(dataset, clock):
    rollup.rebuild()
    lusan = Idea.objects.filter(hidden=False, district__name="Lusan").order_by("pk")
    Idea.objects.filter(pk=lusan[0].pk).update(hidden=True)
    counts = {row[0]: row[1] for row in selectors.ideas_by_district(period=MAY_ON, public=True).rows}
    assert counts["Lusan"] == 3  # the roll-up still has it: the figures change overnight
    rollup.rebuild()
    counts = {row[0]: row[1] for row in selectors.ideas_by_district(period=MAY_ON, public=True).rows}
    assert "Lusan" not in counts  # now 2: with the small districts


def test_a_rebuild_replaces_the_roll_up(dataset, clock):
    rollup.rebuild()
    counted = (DailyCount.objects.count(), ActiveMonth.objects.count())
    assert counted[0] > 0 and counted[1] > 0
    Support.objects.all().delete()
    state = rollup.rebuild()
    assert DailyCount.objects.filter(tally="supports").count() == 0
    assert state.complete_until == datetime.date(2026, 6, 1)
    assert RollupState.objects.get().complete_until == datetime.date(2026, 6, 1)


def test_without_a_roll_up_everything_is_counted_live(dataset, clock):
    assert rollup.complete_until() is None
    assert active()[MAY] == 4


def test_the_roll_up_is_rebuilt_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-rollup"]
    assert entry["task"] == "dashboard.tasks.rebuild_rollup"
    assert entry["schedule"].hour == {2}


def test_the_command_shows_its_progress(dataset, clock, capsys):
    call_command("rebuild_dashboard")
    out = capsys.readouterr().out
    assert "20/20" in out and "active people" in out
    assert RollupState.objects.get().complete_until == datetime.date(2026, 6, 1)


def test_a_person_is_one_row_per_month_and_audience(db, clock):
    person = UserFactory(date_joined=at(2026, 4))
    idea = IdeaFactory(author=person, created_at=at(2026, 5, 2))
    CommentFactory(author=person, idea=idea, created_at=at(2026, 5, 3))
    Support.objects.create(idea=IdeaFactory(), user=person, created_at=at(2026, 5, 4))
    rollup.rebuild()
    assert ActiveMonth.objects.filter(person=person.pk, month=MAY).count() == 2  # team and public
