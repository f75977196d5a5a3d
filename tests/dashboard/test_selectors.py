"""The figures on a small known dataset (see conftest): what the team sees, what the public sees."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from dashboard import rollup, selectors
from dashboard.selectors import Period

from .conftest import at

DEFAULT = Period(start=datetime.date(2025, 7, 1), end=datetime.date(2026, 6, 1))
MAY = datetime.date(2026, 5, 1)
APRIL = datetime.date(2026, 4, 1)
JUNE = datetime.date(2026, 6, 1)


@pytest.fixture(params=["live", "rolled up", "rolled up to mid-May"])
def dataset(dataset, request):
    """Every figure must come out the same whether it is counted live (no roll-up yet), from
    the nightly roll-up (everything before today), or from a roll-up that stopped in the
    middle of May (a night's task that did not run for two weeks: the rest counted live)."""
    if request.param == "rolled up":
        rollup.rebuild()
    elif request.param == "rolled up to mid-May":
        rollup.rebuild(today=datetime.date(2026, 5, 15))
    return dataset


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def table(figure, *columns: int) -> dict:
    """{row label: value of column} (or a tuple of columns)."""
    columns = columns or (1,)
    return {
        row[0]: row[columns[0]] if len(columns) == 1 else tuple(row[c] for c in columns)
        for row in figure.rows
    }


def test_default_period_is_the_last_twelve_months_up_to_today():
    period = Period.last_months(datetime.date(2026, 6, 1))
    assert period == DEFAULT
    assert len(period.months()) == 12
    assert period.months()[0] == datetime.date(2025, 7, 1) and period.months()[-1] == JUNE


@pytest.mark.parametrize("public, may, april", [(True, 3, 1), (False, 4, 1)])
def test_active_participants_are_counted_once_per_month(dataset, public, may, april):
    figure = selectors.participants_by_month(period=DEFAULT, public=public)
    active = table(figure, 2)
    # May: Anna (two ideas), Bernd (idea, comment), Clara (support, public post); for the team
    # also Dora (a post in a members-only thread, a support of a hidden idea). The phone idea's
    # author is the staff member who entered it: not a participant.
    assert active[MAY] == may
    assert active[APRIL] == april
    assert active[JUNE] == 4  # the four voters of the published poll (the open poll's voter is one of them)
    assert table(figure, 1)[MAY] == 3  # new accounts
    assert len(figure.rows) == 12


def test_the_date_filter_applies(dataset):
    only_april = Period(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 4, 30))
    figure = selectors.participants_by_month(period=only_april, public=False)
    assert figure.rows == [[APRIL, 0, 1]]
    ideas = selectors.ideas_by_theme(period=only_april, public=False)
    assert set(table(ideas).values()) == {0}
    old = Period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 31))
    assert table(selectors.ideas_by_district(period=old, public=True)) == {
        "Other districts (fewer than 3 ideas each)": 1
    }


@pytest.mark.parametrize("public, business", [(True, 1), (False, 2)])
def test_ideas_per_theme_leave_hidden_ideas_out_of_the_public_count(dataset, public, business):
    counts = table(selectors.ideas_by_theme(period=DEFAULT, public=public))
    assert counts["Energy and environment"] == 2
    assert counts["Business"] == business
    assert counts["Education and culture"] == 1
    assert len(counts) == 5


def test_ideas_per_district_group_small_districts_on_the_public_page(dataset):
    public = table(selectors.ideas_by_district(period=DEFAULT, public=True))
    assert public == {"Lusan": 3, "Other districts (fewer than 3 ideas each)": 1}
    team = table(selectors.ideas_by_district(period=DEFAULT, public=False))
    assert team == {"Lusan": 3, "Aga": 1, "Zwötzen": 1}


def test_ideas_and_comments_per_source(dataset):
    public = table(selectors.ideas_by_source(period=DEFAULT, public=True), 1, 2)
    assert public == {"online": (3, 2), "workshop": (0, 0), "phone": (1, 0), "letter": (0, 0)}
    team = table(selectors.ideas_by_source(period=DEFAULT, public=False), 1, 2)
    assert team["online"] == (4, 3)


@pytest.mark.parametrize("public, may", [(True, (1, 1)), (False, (2, 2))])
def test_comments_and_supports_per_month(dataset, public, may):
    figure = selectors.comments_and_supports_by_month(period=DEFAULT, public=public)
    assert table(figure, 1, 2)[MAY] == may
    assert table(figure, 1, 2)[APRIL] == (1, 0)


@pytest.mark.parametrize("public, energy", [(True, (1, 1, 1)), (False, (2, 2, 2))])
def test_working_group_activity_counts_members_only_content_for_the_team_only(dataset, public, energy):
    figure = selectors.workgroup_activity(period=DEFAULT, public=public)
    counts = table(figure, 1, 2, 3)
    assert counts["Energy and environment"] == energy
    assert counts["Business"] == (0, 0, 0)


def test_pilots_per_stage_with_budget_and_no_drafts_in_public(dataset):
    public = table(selectors.pilots_by_stage(period=DEFAULT, public=True), 1, 2)
    assert "draft" not in public
    assert public["proposed to the plenary"] == (1, Decimal("2000"))
    assert public["in implementation"] == (2, Decimal("5000"))
    assert public["completed"] == (0, Decimal("0"))
    team = table(selectors.pilots_by_stage(period=DEFAULT, public=False), 1, 2)
    assert team["draft"] == (1, Decimal("1000"))


def test_poll_turnout_shows_only_published_polls_in_public(dataset):
    public = selectors.poll_turnout(period=DEFAULT, public=True)
    assert public.rows == [["=Mobilitätsinsel", 4, 10, 40.0]]
    team = selectors.poll_turnout(period=DEFAULT, public=False)
    assert [row[0] for row in team.rows] == ["=Mobilitätsinsel", "Laufende Abstimmung"]
    assert team.rows[1][2:] == [1, 5, 20.0]


def test_newsletter_reach(dataset):
    figure = selectors.newsletter_reach(period=DEFAULT, public=True)
    rows = {row[0]: row[1:] for row in figure.rows}
    # Two confirmed before the period; in May one joined and one left; one issue to two people.
    assert rows[datetime.date(2025, 7, 1)] == [0, 0, 2, 0, 0]
    assert rows[MAY] == [1, 1, 2, 1, 2]
    assert rows[JUNE] == [0, 0, 2, 0, 0]


def test_newsletter_counts_who_left_before_the_period_out(dataset):
    later = Period(start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 1))
    assert selectors.newsletter_reach(period=later, public=True).rows[0][3] == 2
    earlier = Period(start=at(2025, 4).date(), end=at(2025, 4).date())
    assert selectors.newsletter_reach(period=earlier, public=True).rows[0][3] == 2


def test_every_figure_has_a_table_a_chart_and_csv_rows(dataset):
    for figure in selectors.dashboard_figures(period=DEFAULT, public=True):
        chart = figure.chart_data()
        assert len(chart["labels"]) == len(figure.rows)
        assert all(len(d["data"]) == len(figure.rows) for d in chart["datasets"])
        assert len(figure.csv_rows()) == len(figure.rows) + 1
        assert all(len(row) == len(figure.columns) for row in figure.display_rows())


def test_a_period_from_the_middle_of_a_month_counts_only_its_days(dataset):
    from_the_11th = Period(start=datetime.date(2026, 5, 11), end=datetime.date(2026, 6, 1))
    participants = table(selectors.participants_by_month(period=from_the_11th, public=False), 1, 2)
    assert participants[MAY] == (0, 0)  # all of May's activity was on the 10th
    assert participants[JUNE] == (0, 4)
    comments = table(selectors.comments_and_supports_by_month(period=from_the_11th, public=False), 1, 2)
    assert comments[MAY] == (0, 0)
    up_to_the_9th = Period(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 5, 9))
    participants = table(selectors.participants_by_month(period=up_to_the_9th, public=False), 2)
    assert participants == {APRIL: 1, MAY: 0}
