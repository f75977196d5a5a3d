"""Reads that span models: the overview, the board, a pilot's page and timeline, the profile."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from geraportal.accounts.rules import is_smartcity_team
from geraportal.core.pagecache import shared_per_content_version, shared_public_row
from geraportal.districts.models import District
from ideas.selectors import IDEA_UNSHARED, ideas_of_author, public_ideas
from workgroups.selectors import member_group_ids

from .models import STATUS_ORDER, Milestone, Pilot, PilotFollow, PilotStatusChange, PilotUpdate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from geraportal.accounts.models import User


TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class PilotFilters:
    status: str = ""
    group: object = None
    district: object = None


def with_progress(pilots: QuerySet) -> QuerySet:
    """Annotate milestone counts; `progress_of(pilot)` turns them into a percentage."""
    return pilots.annotate(
        milestone_total=Count("milestones", distinct=True),
        milestone_done=Count("milestones", filter=Q(milestones__done_date__isnull=False), distinct=True),
    )


def progress_percent(done: int, total: int) -> int | None:
    """Share of milestones done, in whole percent; None when there are no milestones yet."""
    if not total:
        return None
    return round(100 * done / total)


def attach_progress(pilots: list[Pilot]) -> list[Pilot]:
    for pilot in pilots:
        # milestone_done/_total are annotated by with_progress().
        pilot.progress = progress_percent(pilot.milestone_done, pilot.milestone_total)  # type: ignore[attr-defined]
    return pilots


def pilot_list(*, user: "User | AnonymousUser", filters: PilotFilters) -> QuerySet:
    pilots = with_progress(Pilot.objects.visible_to(user).for_list())
    if filters.status:
        pilots = pilots.filter(status=filters.status)
    if filters.group is not None:
        pilots = pilots.filter(working_group=filters.group)
    if filters.district is not None:
        pilots = pilots.filter(districts=filters.district)
    return pilots.order_by("title", "pk")


def pilot_list_key(*, user: "User | AnonymousUser", filters: PilotFilters) -> str:
    """A name for the rows `pilot_list(user=user, filters=filters)` holds: the key of their kept
    count and pages (`core.pagination`). Drafts are seen by the members of their group and the
    SMARTCity team, so the viewer's groups are part of the name; everyone else sees the same."""
    if not user.is_authenticated:
        scope = "public"
    elif is_smartcity_team(user):
        scope = "all"
    else:
        groups = member_group_ids(user)
        scope = f"groups:{sorted(groups)}" if groups else "public"
    chosen = (filters.status, getattr(filters.group, "pk", None), getattr(filters.district, "pk", None))
    return f"pilots:{scope}:{chosen!r}"


@dataclass
class BoardColumn:
    status: str
    label: "StrOrPromise"
    pilots: list


def board(*, user: "User | AnonymousUser", filters: PilotFilters) -> list[BoardColumn]:
    """One column per stage of the pipeline, in order; drafts only for those who may see them."""
    pilots = attach_progress(list(pilot_list(user=user, filters=filters)))
    columns = {status: BoardColumn(status, Pilot.Status(status).label, []) for status in STATUS_ORDER}
    for pilot in pilots:
        columns[pilot.status].pilots.append(pilot)
    shown = [c for c in columns.values() if c.status != Pilot.Status.DRAFT or c.pilots]
    return shown


def pilot_for_detail(*, user: "User | AnonymousUser", slug: str) -> Pilot:
    """The pilot with everything its page shows; Pilot.DoesNotExist when `user` may not see it.

    A public pilot (not a draft) is the same for every viewer: it is kept in the shared cache
    until the content changes, as a cached page is (issue 16: the page read the pilot, its
    districts, pictures, milestones and source ideas on every request). A draft is read with the
    viewer's visibility. `is_followed` says whether `user` follows it (asked apart, per viewer);
    `district_list` holds its districts by name.
    """
    pilot = shared_public_row(
        f"pilots.detail:{slug}",
        lambda: _for_detail(Pilot.objects.public(), slug),
        lambda: Pilot.objects.filter(slug=slug).exists(),
    )
    if pilot is None:
        pilot = _for_detail(Pilot.objects.visible_to(user), slug)
    if pilot is None:
        raise Pilot.DoesNotExist
    pilot.is_followed = (  # type: ignore[attr-defined]
        user.is_authenticated and PilotFollow.objects.filter(pilot=pilot, user_id=user.pk).exists()
    )
    return pilot


def _for_detail(pilots: QuerySet, slug: str) -> Pilot | None:
    # The districts come with the pilot (one row per district, a left join), not in a query of
    # their own. Source ideas without what no page shows (IDEA_UNSHARED): the pilot may be kept.
    ideas = public_ideas().select_related("author").defer(*IDEA_UNSHARED).order_by("pk")
    rows = list(
        pilots.filter(slug=slug)
        .annotate(
            district_pk=F("districts__pk"),
            district_name=F("districts__name"),
            district_slug=F("districts__slug"),
        )
        .select_related("working_group", "organisation")
        .order_by("districts__name", "districts__pk")
    )
    if not rows:
        return None
    pilot = rows[0]
    pilot.district_list = [
        District(pk=row.district_pk, name=row.district_name, slug=row.district_slug)
        for row in rows
        if row.district_pk is not None
    ]
    prefetch_related_objects(
        [pilot],
        "images",
        Prefetch(
            "milestones", queryset=Milestone.objects.order_by("due_date", "pk"), to_attr="milestone_list"
        ),
        Prefetch("source_ideas", queryset=ideas, to_attr="idea_list"),
    )
    return pilot


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    percent: int | None
    overdue: int


def progress_for(pilot: Pilot, *, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    milestones = pilot.milestone_list  # type: ignore[attr-defined]  # prefetched by pilot_for_detail()
    done = sum(1 for m in milestones if m.is_done)
    for m in milestones:
        m.overdue = m.is_overdue_on(today)
    return Progress(
        done=done,
        total=len(milestones),
        percent=progress_percent(done, len(milestones)),
        overdue=sum(1 for m in milestones if m.overdue),
    )


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "status" or "update"
    when: datetime
    item: "PilotStatusChange | PilotUpdate"

    @property
    def key(self) -> tuple:
        # Status changes sort before updates of the same moment (newest first: after them).
        return (self.when, self.kind == "update", self.item.pk)


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    older: str  # cursor of the next (older) page, "" on the last one


def _cursor(entry: TimelineEntry) -> str:
    return f"{entry.when.isoformat()}~{entry.kind}~{entry.item.pk}"


def _parse_cursor(raw: str | None) -> tuple | None:
    try:
        when, kind, pk = (raw or "").split("~")
        moment = datetime.fromisoformat(when)
        if kind not in ("status", "update") or moment.tzinfo is None:
            return None
        return (moment, kind == "update", int(pk))
    except ValueError:
        return None


def kept_timeline(*, pilot: Pilot, before: str | None = None) -> Timeline:
    """`timeline` for the pilot's page: a public pilot's newest page is the same for every viewer
    and is kept in the shared cache until the content changes. Older pages (any cursor someone
    sends) and a draft's timeline, with its internal entries, are read each time."""
    if not pilot.is_public or before or settings.PAGE_CACHE_SECONDS <= 0:
        return timeline(pilot=pilot, before=before, include_internal=not pilot.is_public)
    return shared_per_content_version(f"pilots.timeline:{pilot.pk}", lambda: timeline(pilot=pilot))


def timeline(*, pilot: Pilot, before: str | None = None, include_internal: bool = False) -> Timeline:
    """Status changes and progress updates, newest first, a page at a time (keyset pagination).

    A pilot has a handful of status changes (all read) but may have thousands of updates: only
    the next page of those is read, so every page costs two queries however long the history.
    """
    cursor = _parse_cursor(before)
    changes = PilotStatusChange.objects.filter(pilot=pilot)
    if not include_internal:
        changes = changes.exclude(to_status=Pilot.Status.DRAFT)
    updates = PilotUpdate.objects.filter(pilot=pilot).order_by("-published_at", "-pk")
    if cursor is not None:
        moment, after_changes, pk = cursor
        older = Q(published_at__lt=moment)
        if after_changes:
            older |= Q(published_at=moment, pk__lt=pk)
        updates = updates.filter(older)
    entries = [TimelineEntry("status", c.created_at, c) for c in changes]
    entries += [TimelineEntry("update", u.published_at, u) for u in updates[: TIMELINE_PAGE_SIZE + 1]]
    if cursor is not None:
        entries = [e for e in entries if e.key < cursor]
    entries.sort(key=lambda e: e.key, reverse=True)
    page = entries[:TIMELINE_PAGE_SIZE]
    return Timeline(entries=page, older=_cursor(page[-1]) if len(entries) > TIMELINE_PAGE_SIZE else "")


def selection_candidates() -> list[Pilot]:
    """Prioritised proposals in the plenary's order, for the strategy group."""
    pilots = (
        Pilot.objects.filter(status=Pilot.Status.PRIORITISED)
        .select_related("working_group")
        .order_by("plenary_rank", "title", "pk")
    )
    return list(pilots)


def selected_pilots() -> list[Pilot]:
    return list(
        Pilot.objects.filter(status=Pilot.Status.SELECTED)
        .select_related("working_group")
        .order_by("plenary_rank", "pk")
    )


GROUP_PAGE_LIMIT = 10


def group_pilots(*, group, user: "User | AnonymousUser") -> dict:
    """The pilot projects `group` proposed, for its page: drafts only for those who may see them."""
    pilots = (
        Pilot.objects.visible_to(user)
        .filter(working_group=group)
        .only("pk", "title", "slug", "status", "summary", "updated_at")
        .order_by("-updated_at", "-pk")
    )
    return {"pilots": list(pilots[:GROUP_PAGE_LIMIT])}


def measure_pilots(*, measure, user: "User | AnonymousUser") -> dict:
    """The pilots that implement a strategy measure, with their progress, for the measure's page."""
    pilots = with_progress(Pilot.objects.visible_to(user).filter(strategy_measures=measure)).order_by(
        "title", "pk"
    )
    return {"pilots": attach_progress(list(pilots.only("pk", "title", "slug", "status", "summary")))}


def home_pilots() -> list[Pilot]:
    # The cards name each pilot's districts: one query for all of them, not one per card.
    pilots = with_progress(
        Pilot.objects.public().select_related("working_group").prefetch_related("districts")
    ).order_by("-updated_at", "-pk")
    return attach_progress(list(pilots[:3]))


def profile_pilots(user: "User | AnonymousUser") -> dict:
    """The pilots that grew from `user`'s ideas, with the ideas, for the profile page."""
    if not user.is_authenticated:
        return {"pilots": []}
    pilots = attach_progress(
        list(
            with_progress(Pilot.objects.public().filter(source_ideas__author=user).distinct())
            .select_related("working_group")
            .prefetch_related(
                Prefetch(
                    "source_ideas",
                    queryset=ideas_of_author(user=user).order_by("pk"),
                    to_attr="my_ideas",
                )
            )
            .order_by("title", "pk")
        )
    )
    return {"pilots": pilots}


def export_row(pilot, *, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    """A public pilot as one row of open data: the pilots' own CSV/JSON export and the
    portal's open-data downloads use the same columns. `pilot` comes `with_progress`, with its
    working group, organisation and districts loaded."""
    return {
        "id": pilot.pk,
        "title": pilot.title,
        "slug": pilot.slug,
        "status": pilot.status,
        "status_label": str(pilot.get_status_display()),
        "working_group": pilot.working_group.slug,
        "organisation": pilot.organisation.name if pilot.organisation else "",
        "districts": [d.name for d in pilot.districts.all()],
        "progress_percent": progress_percent(pilot.milestone_done, pilot.milestone_total),
        "milestones_done": pilot.milestone_done,
        "milestones_total": pilot.milestone_total,
        "budget_planned_eur": pilot.budget_planned,
        "funding_share_percent": pilot.funding_share,
        "planned_start": pilot.planned_start,
        "planned_end": pilot.planned_end,
        "actual_start": pilot.actual_start,
        "actual_end": pilot.actual_end,
        "plenary_rank": pilot.plenary_rank,
        "council_date": pilot.council_date,
        "council_resolution": pilot.council_resolution,
        "latitude": pilot.latitude,
        "longitude": pilot.longitude,
        "url": absolute_url(pilot.get_absolute_url()),
    }
