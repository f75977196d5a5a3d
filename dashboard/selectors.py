"""The participation figures: every number is counted by the database, never in Python.

Each selector returns one `Figure` — the rows of its table, which are also its chart and its
CSV — for a `Period` and for one audience:

- `public=False`, the SMARTCity team's dashboard: everything, hidden ideas and members-only
  working-group content included, and the turnout of every poll that has been opened.
- `public=True`, the public summary: only what the website shows a visitor anyway. Hidden
  ideas and comments (and supports of hidden ideas) are not counted; working-group activity
  counts only public, not hidden threads, their posts and public meetings (counting
  members-only content would tell that a group discusses something behind closed doors, and
  when); polls appear only once their result is published; draft pilots are left out.
  Districts with fewer than `SMALL_CELL` ideas are shown together as one row, so that the
  summary never points at the one or two people of a small district (the ideas themselves are
  public, but a figure should not single anyone out).

Activity (accounts, ideas, comments, supports, group threads, posts and meetings, active
people) is counted by `rollup.Counter`: the nightly roll-up for the days before today, live for
today, so that a page costs the same at 50,000 ideas as at 50. The small tables (pilots, polls,
newsletter) are counted live with `values()` + `annotate(Count/Sum)`; Python only fills in
months without activity and formats.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from geraportal.core.db import unprepared
from geraportal.core.translated import pick
from geraportal.newsletter.models import NewsletterIssue, NewsletterSubscriber
from ideas.models import Source
from pilots.models import Pilot
from plenary.models import Poll
from workgroups.models import WorkingGroup

from . import audience
from .audience import Period, as_month, month_of
from .rollup import Counter

__all__ = ["Period", "SELECTORS", "dashboard_figure", "dashboard_figures"]

# A district with fewer ideas than this is not shown on its own on the public page.
SMALL_CELL = 3

# Column kinds: how a cell is shown in the table and written into the CSV.
TEXT, MONTH, INT, MONEY, PERCENT = "text", "month", "int", "money", "percent"


@dataclass
class Column:
    label: str
    kind: str = INT
    csv_name: str = ""


@dataclass
class Figure:
    """One table (and the chart drawn from it): the first column labels the rows."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""
    chart: str = "bar"  # "bar", "hbar" (horizontal: long labels) or "line"
    series: list[int] = field(default_factory=lambda: [1])  # the columns drawn
    # Months and categories are listed with zeros; nothing but zeros is "nothing to count".
    # A poll's 0 % turnout is a figure, though: there a row is something.
    zeros_are_empty: bool = True

    def display_rows(self) -> list[list[str]]:
        return [
            [_display(cell, col.kind) for cell, col in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def csv_rows(self) -> list[list[str]]:
        header = [col.csv_name or col.label for col in self.columns]
        return [header] + [
            [_raw(cell, col.kind) for cell, col in zip(row, self.columns, strict=True)] for row in self.rows
        ]

    def chart_data(self) -> dict[str, Any]:
        labels = [_display(row[0], self.columns[0].kind) for row in self.rows]
        datasets = [
            {"label": self.columns[i].label, "data": [_number(row[i]) for row in self.rows]}
            for i in self.series
        ]
        return {"type": self.chart, "labels": labels, "datasets": datasets}

    @property
    def is_empty(self) -> bool:
        if not self.zeros_are_empty:
            return not self.rows
        return not any(_number(row[i]) for row in self.rows for i in self.series)


def _number(value: Any) -> float | int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return float(value)
    return value


def _display(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if kind == MONEY:
        return number_format(value, decimal_pos=2, force_grouping=True)
    if kind == PERCENT:
        return number_format(value, decimal_pos=1) + " %"
    if kind == INT:
        return number_format(value, force_grouping=True)
    return str(value)


def _raw(value: Any, kind: str) -> str:
    """Machine-readable cells: ISO months, plain numbers with a decimal point."""
    if value is None:
        return ""
    if kind == MONTH:
        return value.strftime("%Y-%m")
    if kind == MONEY:
        return f"{Decimal(value):.2f}"
    if kind == PERCENT:
        return f"{value:.1f}"
    return str(value)


def _per_month(queryset: QuerySet, date_field: str, **aggregates: Any) -> dict[datetime.date, dict[str, Any]]:
    """{first day of month: {aggregate: value}} for the rows of `queryset` (one query)."""
    rows = (
        queryset.annotate(month=month_of(date_field)).values("month").annotate(**aggregates).order_by("month")
    )
    return {as_month(row.pop("month")): row for row in rows}


def _count_per_month(queryset: QuerySet, date_field: str) -> dict[datetime.date, int]:
    return {month: row["n"] for month, row in _per_month(queryset, date_field, n=Count("pk")).items()}


# --- The figures -------------------------------------------------------------------------------


def participants_by_month(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    """New accounts, and people who took part (idea, comment, support, group post, vote) per month."""
    counter = counter or Counter.load(period=period, public=public)
    joined = counter.per_month("accounts")
    active = counter.active_per_month()
    return Figure(
        key="participants",
        title=_("Participants per month"),
        note=_(
            "Active participants: people who submitted an idea, commented, supported an idea, "
            "wrote in a working group or voted in a plenary poll that month, each counted once."
        ),
        columns=[
            Column(_("Month"), MONTH, "month"),
            Column(_("New accounts"), INT, "new_accounts"),
            Column(_("Active participants"), INT, "active_participants"),
        ],
        rows=[[m, joined.get(m, 0), active.get(m, 0)] for m in period.months()],
        chart="line",
        series=[1, 2],
    )


def _groups() -> QuerySet:
    return WorkingGroup.objects.order_by("position", "pk").only("name_de", "name_en")


def ideas_by_theme(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    counts = (counter or Counter.load(period=period, public=public)).per_key("ideas-theme")
    return Figure(
        key="ideas-by-theme",
        title=_("Ideas per theme"),
        columns=[Column(_("Theme"), TEXT, "theme"), Column(_("Ideas"), INT, "ideas")],
        rows=[[pick(group, "name"), counts.get(str(group.pk), 0)] for group in _groups()],
        chart="hbar",
    )


def ideas_by_district(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    counts = (counter or Counter.load(period=period, public=public)).per_key("ideas-district")
    rows: list[list[Any]] = []
    small = 0
    for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if not name or not n:
            continue
        if public and n < SMALL_CELL:
            small += n
        else:
            rows.append([name, n])
    if small:
        rows.append([_("Other districts (fewer than %(n)s ideas each)") % {"n": SMALL_CELL}, small])
    if counts.get(""):
        rows.append([_("No district given"), counts[""]])
    note = ""
    if public:
        note = _(
            "Districts with fewer than %(n)s ideas in the period are shown together, "
            "so that no figure points at single people."
        ) % {"n": SMALL_CELL}
    return Figure(
        key="ideas-by-district",
        title=_("Ideas per district"),
        note=note,
        columns=[Column(_("District"), TEXT, "district"), Column(_("Ideas"), INT, "ideas")],
        rows=rows,
        chart="hbar",
    )


def ideas_by_source(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    counter = counter or Counter.load(period=period, public=public)
    ideas = counter.per_key("ideas-source")
    comments = counter.per_key("comments-source")
    return Figure(
        key="ideas-by-source",
        title=_("Ideas and comments per source"),
        note=_("Online in the portal, or entered by the SMARTCity team from a workshop, a call or a letter."),
        columns=[
            Column(_("Source"), TEXT, "source"),
            Column(_("Ideas"), INT, "ideas"),
            Column(_("Comments"), INT, "comments"),
        ],
        rows=[[str(label), ideas.get(value, 0), comments.get(value, 0)] for value, label in Source.choices],
        chart="hbar",
        series=[1, 2],
    )


def comments_and_supports_by_month(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    counter = counter or Counter.load(period=period, public=public)
    comments = counter.per_month("comments-source")
    supports = counter.per_month("supports")
    return Figure(
        key="comments-supports",
        title=_("Comments and supports per month"),
        columns=[
            Column(_("Month"), MONTH, "month"),
            Column(_("Comments"), INT, "comments"),
            Column(_("Supports"), INT, "supports"),
        ],
        rows=[[m, comments.get(m, 0), supports.get(m, 0)] for m in period.months()],
        chart="line",
        series=[1, 2],
    )


def workgroup_activity(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    counter = counter or Counter.load(period=period, public=public)
    threads = counter.per_key("threads-group")
    posts = counter.per_key("posts-group")
    meetings = counter.per_key("meetings-group")
    return Figure(
        key="workgroups",
        title=_("Working-group activity"),
        note=_("Only public discussions and meetings are counted here.") if public else "",
        columns=[
            Column(_("Working group"), TEXT, "working_group"),
            Column(_("New discussions"), INT, "threads"),
            Column(_("Posts"), INT, "posts"),
            Column(_("Meetings"), INT, "meetings"),
        ],
        rows=[
            [pick(g, "name"), threads.get(str(g.pk), 0), posts.get(str(g.pk), 0), meetings.get(str(g.pk), 0)]
            for g in _groups()
        ],
        chart="hbar",
        series=[1, 2, 3],
    )


def pilots_by_stage(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    """Where the pilot projects stand today (not limited to the period: a stage is a state)."""
    stages = {
        row["status"]: row
        for row in audience.pilots(public)
        .values("status")
        .annotate(n=Count("pk"), budget=Sum("budget_planned"))
        .order_by()
    }
    shown = [(v, label) for v, label in Pilot.Status.choices if not (public and v == Pilot.Status.DRAFT)]
    return Figure(
        key="pilots",
        title=_("Pilot projects per stage"),
        note=_("The current stage of every pilot project, whatever the period; budgets as planned."),
        columns=[
            Column(_("Stage"), TEXT, "stage"),
            Column(_("Pilot projects"), INT, "pilots"),
            Column(_("Planned budget (EUR)"), MONEY, "budget_eur"),
        ],
        rows=[
            [str(label), stages.get(v, {}).get("n", 0), stages.get(v, {}).get("budget") or Decimal("0")]
            for v, label in shown
        ],
        chart="hbar",
    )


def poll_turnout(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    polls = (
        audience.polls(public)
        .filter(period.within("opened_at"))
        .annotate(n_ballots=Count("voter_roll"))
        .order_by("opened_at", "pk")
        .values("title", "status", "n_ballots", "eligible_count")
    )
    statuses = dict(Poll.Status.choices)
    rows = []
    for poll in polls:
        eligible = poll["eligible_count"]
        turnout = round(100 * poll["n_ballots"] / eligible, 1) if eligible else 0.0
        row: list[Any] = [poll["title"], poll["n_ballots"], eligible, turnout]
        if not public:
            row.insert(1, str(statuses[poll["status"]]))
        rows.append(row)
    columns = [
        Column(_("Poll"), TEXT, "poll"),
        Column(_("Ballots"), INT, "ballots"),
        Column(_("Eligible"), INT, "eligible"),
        Column(_("Turnout"), PERCENT, "turnout_percent"),
    ]
    if not public:
        columns.insert(1, Column(_("Status"), TEXT, "status"))
    return Figure(
        key="polls",
        title=_("Turnout of the plenary polls"),
        note=_("Polls opened in the period whose result has been published.")
        if public
        else _("Polls opened in the period; open and closed polls show the turnout so far."),
        columns=columns,
        rows=rows,
        chart="hbar",
        series=[len(columns) - 1],
        zeros_are_empty=False,
    )


def newsletter_reach(*, period: Period, public: bool, counter: Counter | None = None) -> Figure:
    """Confirmed subscribers at the end of each month, issues sent and e-mails delivered.

    An address counts from its (latest) confirmation until it unsubscribed or bounced.
    """
    left_at = Coalesce("unsubscribed_at", "bounced_at")
    gone = NewsletterSubscriber.objects.filter(
        confirmed_at__isnull=False,
        status__in=[NewsletterSubscriber.Status.UNSUBSCRIBED, NewsletterSubscriber.Status.BOUNCED],
    ).annotate(left_at=left_at)
    before = NewsletterSubscriber.objects.filter(confirmed_at__lt=period.since).aggregate(
        n=Count("pk", filter=~Q(pk__in=gone.filter(left_at__lt=period.since).values("pk")))
    )["n"]
    joined = _count_per_month(
        NewsletterSubscriber.objects.filter(period.within("confirmed_at")), "confirmed_at"
    )
    left = _count_per_month(gone.filter(period.within("left_at")), "left_at")
    issues = _per_month(
        NewsletterIssue.objects.exclude(status=NewsletterIssue.Status.DRAFT).filter(
            period.within("send_started_at")
        ),
        "send_started_at",
        issues=Count("pk"),
        sent=Sum("sent_count"),
    )
    rows = []
    total = before
    for m in period.months():
        total += joined.get(m, 0) - left.get(m, 0)
        sent = issues.get(m, {})
        rows.append(
            [m, joined.get(m, 0), left.get(m, 0), total, sent.get("issues", 0), sent.get("sent") or 0]
        )
    return Figure(
        key="newsletter",
        title=_("Newsletter reach"),
        columns=[
            Column(_("Month"), MONTH, "month"),
            Column(_("New subscribers"), INT, "confirmed"),
            Column(_("Unsubscribed or bounced"), INT, "left"),
            Column(_("Subscribers at the end of the month"), INT, "subscribers"),
            Column(_("Issues sent"), INT, "issues"),
            Column(_("E-mails sent"), INT, "emails_sent"),
        ],
        rows=rows,
        chart="line",
        series=[3, 5],
    )


SELECTORS: dict[str, Callable[..., Figure]] = {
    "participants": participants_by_month,
    "ideas-by-theme": ideas_by_theme,
    "ideas-by-district": ideas_by_district,
    "ideas-by-source": ideas_by_source,
    "comments-supports": comments_and_supports_by_month,
    "workgroups": workgroup_activity,
    "pilots": pilots_by_stage,
    "polls": poll_turnout,
    "newsletter": newsletter_reach,
}


def dashboard_figures(*, period: Period, public: bool, keys: Iterable[str] | None = None) -> list[Figure]:
    """Every figure (or those named), in the dashboard's order."""
    wanted = SELECTORS if keys is None else [k for k in SELECTORS if k in set(keys)]
    with unprepared():  # aggregates over the period: a generic plan was up to 3x slower
        counter = Counter.load(period=period, public=public)
        return [SELECTORS[key](period=period, public=public, counter=counter) for key in wanted]


def dashboard_figure(*, key: str, period: Period, public: bool) -> Figure:
    """One figure by its key (KeyError for an unknown one)."""
    return SELECTORS[key](period=period, public=public)
