"""Reads that span models: the filtered list, search, a detail page's thread, the queue, the map."""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import rules
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from geraportal.accounts.models import unshared_person_columns
from geraportal.accounts.personcache import person_fact
from geraportal.core.pagecache import digest, shared_per_content_version, shared_public_row

from .models import Comment, Follow, Idea, Report, Source, StatusChange, Support, can_transition
from .rules import moderated_theme_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from geraportal.accounts.models import User


SORTS = {
    "newest": ("-created_at", "-pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
    "discussed": ("-comment_count", "-created_at", "-pk"),
}
MAX_QUERY_LENGTH = 200


def clean_search(text: str) -> str:
    """What we search for: printable characters only, bounded length (NUL bytes break PostgreSQL)."""
    text = "".join(ch for ch in (text or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# A relevance-ranked search ranks at most this many matches, the newest ones: ranking every
# match of a common word (44,000 of 50,000 ideas) costs a quarter of a second, and even 500
# cost 20 ms at 50,000 ideas (reading each one's search vector).
RANK_CANDIDATES = 200
# A single word is also matched as a prefix ("Fahrr" finds "Fahrradweg"); a short one also by
# trigram similarity of the title (typos, inner parts). Trigrams of a long word match
# thousands of titles only to drop them again (a rare 18-letter word took over a second).
_PARTIAL_WORD = re.compile(r"\w{3,20}")
TRIGRAM_MAX_LENGTH = 10


def _partial_word(text: str) -> str | None:
    return text if _PARTIAL_WORD.fullmatch(text) else None


def idea_search(queryset: QuerySet, text: str, *, rank: bool = False) -> QuerySet:
    """Full-text search in German on the stored vector (title weighted A over body B, kept up
    to date by the services), with prefix and trigram matching for a single short word.

    With `rank`, the newest RANK_CANDIDATES matches are annotated with `rank` (full-text rank
    plus the title's word similarity); otherwise `rank` is 0 and the caller orders by a cheap
    key. Any input is a valid websearch query, so `' OR 1=1 --` or `&&&` is just text.
    SQLite: a simple LIKE.
    """
    text = clean_search(text)
    if not text:
        return queryset
    if connection.vendor != "postgresql":
        found = queryset.filter(Q(title__icontains=text) | Q(body__icontains=text))
        return found.annotate(rank=Value(0.0))
    query = SearchQuery(text, config="german", search_type="websearch")
    match = Q(search_vector=query)
    word = _partial_word(text)
    if word:
        # `word` is letters and digits only, so it is safe inside a raw tsquery.
        match |= Q(search_vector=SearchQuery(f"{word}:*", config="german", search_type="raw"))
        if len(word) <= TRIGRAM_MAX_LENGTH:
            match |= Q(TrigramWordSimilar(F("title"), Value(word)))
    found = queryset.filter(match)
    if not rank:
        return found.annotate(rank=Value(0.0))
    candidates = found.order_by(*SORTS["newest"]).values("pk")[:RANK_CANDIDATES]
    score: Any = SearchRank(F("search_vector"), query)
    if word and len(word) <= TRIGRAM_MAX_LENGTH:
        score = score + TrigramWordSimilarity(word, "title")
    return queryset.filter(pk__in=Subquery(candidates)).annotate(rank=score)


@dataclass(frozen=True)
class IdeaFilters:
    theme: object = None
    district: object = None
    status: str = ""
    competition: object = None
    source: str = ""  # online, workshop, phone or letter (Source)
    q: str = ""
    sort: str = "newest"

    def selection(self) -> tuple:
        """What the filters select: the same selection, the same rows. The order is left out (a
        count serves every sort), except that a relevance search holds other rows: it ranks
        only its newest RANK_CANDIDATES matches (`idea_search`)."""
        chosen = tuple(getattr(value, "pk", value) for name, value in vars(self).items() if name != "sort")
        return (*chosen, bool(self.q) and self.sort == "relevance")


def listable_ideas(user: "User | AnonymousUser") -> QuerySet:
    """The ideas a list shows to `user`, written so PostgreSQL can use the sort indexes.

    `visible_to` adds `OR author = user` for every logged-in person, which turns the count
    into a sequential scan and each sort into a full sort. A citizen's own hidden ideas are
    few: the list page shows them apart (`own_hidden_ideas`). Moderators of some themes (few
    people) keep the OR; the SMARTCity team sees everything. `_rows_name` names these rows:
    one name, the same rows.
    """
    name = _rows_name(user)
    if name == "public":
        return Idea.objects.public()
    if name == "all":
        return Idea.objects.all()
    return Idea.objects.visible_to(user)


def _rows_name(user: "User | AnonymousUser") -> str:
    """A name for the ideas a list shows to `user`, found without building their queryset
    (building one to name it cost ~0.15 ms of every kept list page, issue 16). Moderators of
    some themes see their hidden ideas too: named with the themes, in case their roles just
    changed."""
    if not user.is_authenticated:
        return "public"
    themes = moderated_theme_ids(user)
    if themes is None:
        return "all"
    return f"person:{user.pk}:{sorted(themes)}" if themes else "public"


def idea_list_key(*, user: "User | AnonymousUser", filters: IdeaFilters) -> str:
    """A name for the rows `idea_list(user=user, filters=filters)` holds (`selection`): the key
    of their kept count, pages and map data. Compiling the query's SQL only to name it cost
    about 0.4 ms of every list page (issue 16)."""
    return f"ideas:{_rows_name(user)}:{filters.selection()!r}"


def own_hidden_ideas(*, user: "User | AnonymousUser", limit: int = 20) -> list[Idea]:
    """The person's own ideas that moderation hid: the list shows them apart, in one small
    query for the few who have any (whether they do is a person fact, `OWN_HIDDEN_IDEAS`)."""
    if not user.is_authenticated:
        return []
    has_any = person_fact(
        topic=OWN_HIDDEN_IDEAS,
        person_id=user.pk,
        compute=lambda: Idea.objects.filter(author=user, hidden=True).exists(),
    )
    if not has_any:
        return []
    return list(Idea.objects.filter(author=user, hidden=True).order_by(*SORTS["newest"])[:limit])


# --- What a person supports and follows -------------------------------------------------
# Person facts (`geraportal.accounts.personcache`), kept between requests: the list and an
# idea's page asked for them on every logged-in request (issue 16). The services that change
# them call `person_fact_forget` with the topic after the write.

SUPPORTED_IDEAS, FOLLOWED_IDEAS = "supported-ideas", "followed-ideas"  # the person cache's topics
OWN_HIDDEN_IDEAS = "own-hidden-ideas"
# A person who supports (or follows) more ideas than this has no list kept: each page asks for
# its own ideas, as before (the list travels with every logged-in request of the person).
KEPT_IDEAS = 500


def _related_idea_ids(user: "User", model: type[Support] | type[Follow]) -> frozenset[int] | None:
    """Ids of every idea the person supports (`Support`) or follows (`Follow`), kept under
    SUPPORTED_IDEAS or FOLLOWED_IDEAS; None if there are more than KEPT_IDEAS."""

    def compute() -> frozenset[int] | None:
        ids = list(model.objects.filter(user=user).values_list("idea_id", flat=True)[: KEPT_IDEAS + 1])
        return frozenset(ids) if len(ids) <= KEPT_IDEAS else None

    topic = SUPPORTED_IDEAS if model is Support else FOLLOWED_IDEAS
    return person_fact(topic=topic, person_id=user.pk, compute=compute)


# Columns that rows kept in the shared cache (a list page's ideas, an idea's page and its
# comments) leave out, as their pages never show them: personal data (everything of an author
# but the name shown, `unshared_person_columns`; the contact address of a contribution entered on
# someone's behalf; the token against a double submission) and an idea's search vector, most of
# its row's size.
IDEA_OWN_UNSHARED = ("search_vector", "contact_email", "submission_token")  # the idea's own columns
IDEA_UNSHARED = (*IDEA_OWN_UNSHARED, *unshared_person_columns("author"))
COMMENT_UNSHARED = ("contact_email", *unshared_person_columns("author"))


def idea_list(*, user: "User | AnonymousUser", filters: IdeaFilters) -> QuerySet:
    """The ideas of the list, search and map, with their authors (without IDEA_UNSHARED). Theme,
    district and competition are not joined: the page has them as reference data already
    (`with_reference`); three more joins doubled PostgreSQL's planning of a search (3.2 ms
    instead of 1.5)."""
    ideas = listable_ideas(user).select_related("author").defer(*IDEA_UNSHARED)
    if filters.theme is not None:
        ideas = ideas.filter(theme=filters.theme)
    if filters.district is not None:
        ideas = ideas.filter(district=filters.district)
    if filters.status:
        ideas = ideas.filter(status=filters.status)
    if filters.competition is not None:
        ideas = ideas.filter(competition=filters.competition)
    if filters.source:
        ideas = ideas.filter(source=filters.source)
    if filters.q:
        relevance = filters.sort == "relevance"
        ideas = idea_search(ideas, filters.q, rank=relevance)
        if relevance:
            return ideas.order_by("-rank", *SORTS["newest"])
    return ideas.order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def with_reference(ideas: list[Idea], reference: dict[str, dict[str, Any]]) -> list[Idea]:
    """Give each idea its theme, district and competition from `reference` (slug -> object per
    kind, as `IdeaFilterForm.objects` holds them for the content version) instead of a join.
    The objects are shared by the requests of the process: read them, never change them. One
    that is not there (it cannot be, under the same version) is left to load as usual."""
    by_id = {kind: {o.pk: o for o in objects.values()} for kind, objects in reference.items()}
    for idea in ideas:
        for kind in ("theme", "district", "competition"):
            related_id = getattr(idea, f"{kind}_id")
            if related_id is not None and (found := by_id[kind].get(related_id)) is not None:
                setattr(idea, kind, found)
    return ideas


def idea_for_detail(*, user: "User | AnonymousUser", pk: int) -> Idea:
    """The idea with what its page shows, or Idea.DoesNotExist (also when the user may not see it).

    A public idea is the same for every viewer: it is kept in the shared cache until the
    content changes, as a cached page is (an idea's page is where logged-in people, whom the
    page cache does not serve, spend their time). A hidden one is read with the viewer's
    visibility.
    """
    kept = shared_public_row(
        f"ideas.detail:{pk}",
        lambda: _for_detail(Idea.objects.public(), pk),
        lambda: Idea.objects.filter(pk=pk).exists(),
    )
    if kept is not None:
        return kept
    idea = _for_detail(Idea.objects.visible_to(user), pk)
    if idea is None:
        raise Idea.DoesNotExist
    return idea


def _for_detail(ideas: QuerySet, pk: int) -> Idea | None:
    return (
        ideas.select_related("theme", "district", "author", "competition", "merged_into", "source_event")
        .defer(*IDEA_UNSHARED, *(f"merged_into__{name}" for name in IDEA_OWN_UNSHARED))
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("actor")
                .defer(*unshared_person_columns("actor"))
                .order_by("created_at", "pk"),
                to_attr="history",
            )
        )
        .filter(pk=pk)
        .first()
    )


def merge_target_for(*, idea: Idea, user: "User | AnonymousUser") -> Idea | None:
    """The idea `idea` was merged into, if `user` may see it (it may have been hidden since)."""
    target = idea.merged_into
    if target is None:
        return None
    if not target.hidden:  # the common case needs no query
        return target
    return Idea.objects.visible_to(user).filter(pk=target.pk).first()


COMMENTS_PER_PAGE = 50


@dataclass
class CommentPage:
    """One page of top-level comments (each with `.thread_replies`), oldest first."""

    comments: list[Any]
    number: int
    has_next: bool


def comment_thread(*, idea: Idea, user: "User | AnonymousUser", page: int = 1) -> CommentPage:
    """A page of `COMMENTS_PER_PAGE` top-level comments with all their replies: two queries,
    however long the discussion, kept in the shared cache until the content changes (the rows
    are the same for every viewer). Each comment gets `thread_replies`, `show_body` (whether this
    user sees the text of a hidden one) and `can_edit`; the permissions that are the same for
    every comment are asked once, the edit rule only for the user's own comments."""
    themes = moderated_theme_ids(user)
    is_moderator = themes is None or idea.theme_id in (themes or set())
    user_pk = getattr(user, "pk", None)
    page = max(1, page)
    top, replies, has_next = shared_per_content_version(
        f"ideas.comments:{idea.pk}:{page}", lambda: _comment_rows(idea.pk, page)
    )
    by_id = {comment.pk: comment for comment in top}
    for comment in [*top, *replies]:
        comment.thread_replies = []
        comment.idea = idea  # the page has it: no query for `comment.idea` in the rules
        comment.show_body = not comment.hidden or is_moderator or comment.author_id == user_pk
        comment.can_edit = (
            user_pk is not None
            and comment.author_id == user_pk
            and rules.has_perm("ideas.change_comment", user, comment)
        )
    for reply in replies:
        by_id[reply.parent_id].thread_replies.append(reply)
    return CommentPage(comments=top, number=page, has_next=has_next)


def _comment_rows(idea_id: int, page: int) -> tuple[list[Any], list[Any], bool]:
    """The page's top-level comments, all their replies, and whether another page follows: the
    same for every viewer, so kept in the shared cache until the content changes."""
    comments = (
        Comment.objects.select_related("author", "source_event")
        .defer(*COMMENT_UNSHARED)
        .order_by("created_at", "pk")
    )
    start = (page - 1) * COMMENTS_PER_PAGE
    top = list(comments.filter(idea_id=idea_id, parent__isnull=True)[start : start + COMMENTS_PER_PAGE + 1])
    replies: list[Any] = []
    if top:
        replies = list(comments.filter(parent_id__in=[c.pk for c in top[:COMMENTS_PER_PAGE]]))
    return top[:COMMENTS_PER_PAGE], replies, len(top) > COMMENTS_PER_PAGE


def user_relation(*, idea: Idea, user: "User | AnonymousUser") -> dict[str, bool]:
    if not user.is_authenticated:
        return {"supports": False, "follows": False}
    relation = {}
    for name, model in (("supports", Support), ("follows", Follow)):
        kept = _related_idea_ids(user, model)
        if kept is None:  # very many: ask for this idea only
            relation[name] = model.objects.filter(idea=idea, user=user).exists()
        else:
            relation[name] = idea.pk in kept
    return relation


def supported_idea_ids(*, user: "User | AnonymousUser", ideas: list[int]) -> set[int]:
    """Which of these ideas (ids) the person supports."""
    if not user.is_authenticated:
        return set()
    kept = _related_idea_ids(user, Support)
    if kept is not None:
        return {pk for pk in ideas if pk in kept}
    return set(Support.objects.filter(user=user, idea__in=ideas).values_list("idea_id", flat=True))


def adoption_of(idea: Idea) -> StatusChange | None:
    """The latest record of a pilot adopting the idea (from the prefetched history)."""
    adopted = [c for c in getattr(idea, "history", []) if c.to_status == Idea.Status.ADOPTED]
    return adopted[-1] if adopted else None


# --- On other apps' pages ---------------------------------------------------------------

GROUP_PAGE_IDEAS = 5


def theme_ideas(*, theme, user: "User | AnonymousUser", limit: int = GROUP_PAGE_IDEAS) -> list[Idea]:
    """The newest ideas of a theme that `user` may see, for its working group's page (one query)."""
    # Without columns no page shows (the section may be kept: `workgroups.public_group_page`).
    ideas = list(
        Idea.objects.visible_to(user)
        .filter(theme=theme)
        .defer(*IDEA_OWN_UNSHARED)
        .order_by(*SORTS["newest"])[:limit]
    )
    for idea in ideas:
        idea.theme = theme  # the page has it already: no query per idea for `idea.theme`
    return ideas


# --- Moderation -------------------------------------------------------------------------

NEW_IDEAS_DAYS = 14


def _in_themes(queryset: QuerySet, themes, field: str) -> QuerySet:
    return queryset if themes is None else queryset.filter(**{f"{field}__in": themes})


def moderation_queue(*, user: "User | AnonymousUser") -> dict[str, list]:
    themes = moderated_theme_ids(user)
    since = timezone.now() - timedelta(days=NEW_IDEAS_DAYS)
    reports = _in_themes(
        Report.objects.filter(resolved_at__isnull=True).select_related("idea", "comment", "reporter"),
        themes,
        "idea__theme_id",
    ).order_by("created_at")
    new_ideas = _in_themes(
        Idea.objects.filter(status=Idea.Status.PUBLISHED, hidden=False, created_at__gte=since).for_list(),
        themes,
        "theme_id",
    ).order_by("-created_at")
    hidden_ideas = _in_themes(Idea.objects.filter(hidden=True).for_list(), themes, "theme_id")
    hidden_comments = _in_themes(
        Comment.objects.filter(hidden=True).select_related("idea", "author"), themes, "idea__theme_id"
    ).order_by("-created_at")
    return {
        "reports": list(reports[:200]),
        "new_ideas": list(new_ideas[:100]),
        "hidden_ideas": list(hidden_ideas[:100]),
        "hidden_comments": list(hidden_comments[:100]),
    }


# --- Map --------------------------------------------------------------------------------

MAP_CAP = 1000
GRID_CELLS = 24


def _grid_cell(span: float) -> float:
    """A cell size (degrees) from a fixed series (360 / 2^k, like map tiles), about a
    GRID_CELLS-th of `span`: views at the same zoom share one grid, so their clusters agree
    and a cached answer fits every view of that zoom."""
    k = max(0, min(30, round(math.log2(360 * GRID_CELLS / max(span, 1e-9)))))
    return 360 / 2**k


def map_features(
    *, bbox: tuple[float, float, float, float], ideas: QuerySet, cell: float | None = None
) -> dict:
    """GeoJSON of the ideas in `bbox` (west, south, east, north).

    Up to MAP_CAP ideas come as points (Leaflet clusters them in the browser). Beyond that the
    server clusters: one feature per grid cell with the number of ideas, so the answer stays
    small and fast however many ideas there are. Neither step sorts: which rows come first
    does not matter when all of them are shown, and the range on the location index finds
    them.
    """
    west, south, east, north = bbox
    located = ideas.order_by().filter(
        latitude__isnull=False,
        latitude__gte=Decimal(str(south)),
        latitude__lte=Decimal(str(north)),
        longitude__gte=Decimal(str(west)),
        longitude__lte=Decimal(str(east)),
    )
    points = list(located.values("pk", "title", "latitude", "longitude")[: MAP_CAP + 1])
    if len(points) <= MAP_CAP:
        points.sort(key=lambda p: p["pk"], reverse=True)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(p["longitude"]), float(p["latitude"])]},
                "properties": {
                    "id": p["pk"],
                    "title": p["title"],
                    "url": Idea(pk=p["pk"], title=p["title"]).get_absolute_url(),
                },
            }
            for p in points
        ]
        return {"type": "FeatureCollection", "features": features, "clustered": False}
    cell = cell or _grid_cell(max(north - south, east - west))
    cells = (
        located.annotate(
            cy=Floor(Cast("latitude", FloatField()) / Value(cell)),
            cx=Floor(Cast("longitude", FloatField()) / Value(cell)),
        )
        .values("cy", "cx")
        .annotate(n=Count("pk"), lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by("cy", "cx")
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(c["lng"]), float(c["lat"])]},
            "properties": {"count": c["n"]},
        }
        for c in cells
    ]
    return {"type": "FeatureCollection", "features": features, "clustered": True}


def map_features_kept(*, bbox: tuple[float, float, float, float], ideas: QuerySet, key: str) -> dict:
    """`map_features` for the box widened to whole grid cells, kept in the shared cache until
    the content changes.

    The whole city's clusters (5,000 located ideas at 50,000) cost about 20 ms of PostgreSQL
    for every map that opens, logged in or with a new address, while they change only with the
    content. The box is widened outward to the cells of its zoom's grid (`_grid_cell`), so a
    view panned within the same cells, or on another screen, asks the same key and edge
    clusters count whole cells; points just outside the view are simply off screen. The key is
    the content version, `key` (the rows' `idea_list_key`: each filter and each viewer's
    visibility has its own) and the widened box.
    """
    west, south, east, north = bbox
    cell = _grid_cell(max(north - south, east - west))
    widened = (
        max(-180.0, math.floor(west / cell) * cell),
        max(-90.0, math.floor(south / cell) * cell),
        min(180.0, math.ceil(east / cell) * cell),
        min(90.0, math.ceil(north / cell) * cell),
    )
    return shared_per_content_version(
        f"ideas.map:{digest(key, widened)}",
        lambda: map_features(bbox=widened, ideas=ideas, cell=cell),
    )


# --- Who hears of an idea ------------------------------------------------------------------


def idea_audience(*, idea_ids: Iterable[int] | QuerySet) -> QuerySet:
    """Ids of everyone who cares about these ideas: their authors, followers and supporters.

    A hidden idea's audience is its author only: its title and fate are not for the others
    any more. Deleted and deactivated people are left out. Other apps (pilots) ask this
    instead of rebuilding the rule from our models.
    """
    from django.contrib.auth import get_user_model

    ideas = Idea.objects.filter(pk__in=idea_ids)
    visible = ideas.filter(hidden=False)
    return (
        get_user_model()
        .objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(
            Q(pk__in=ideas.values("author_id"))
            | Q(pk__in=Follow.objects.filter(idea__in=visible).values("user_id"))
            | Q(pk__in=Support.objects.filter(idea__in=visible).values("user_id"))
        )
        .values_list("pk", flat=True)
    )


def idea_followers(*, idea_id: int) -> QuerySet:
    """Ids of the people following an idea; nobody for a hidden idea (its author is told apart)."""
    return Follow.objects.filter(idea_id=idea_id, idea__hidden=False).values_list("user_id", flat=True)


def idea_is_adoptable(*, idea: Idea) -> bool:
    """Whether a pilot may mark this idea adopted (a merged or declined one stays as it is)."""
    return can_transition(idea.status, Idea.Status.ADOPTED)


# --- For the later stages of the pipeline (pilots), which read ideas through these ---------


def public_ideas() -> QuerySet:
    """Ideas anyone may see (not hidden), for linking them from pilots."""
    return Idea.objects.public()


def ideas_of_author(*, user: "User") -> QuerySet:
    return Idea.objects.filter(author=user)


def contributions_by_source() -> list[dict]:
    """Ideas and comments per source (online, workshop, phone, letter): two queries."""
    ideas = dict(Idea.objects.filter(hidden=False).values_list("source").annotate(n=Count("pk")).order_by())
    comments = dict(
        Comment.objects.filter(hidden=False).values_list("source").annotate(n=Count("pk")).order_by()
    )
    return [
        {"source": value, "label": label, "ideas": ideas.get(value, 0), "comments": comments.get(value, 0)}
        for value, label in Source.choices
    ]


def workshop_contributions(*, event_id: int) -> dict:
    """What came out of a workshop: its ideas and comments (public ones), for the event pages."""
    ideas = list(
        Idea.objects.public().filter(source_event_id=event_id).select_related("theme").order_by("pk")
    )
    comments = list(
        Comment.objects.filter(source_event_id=event_id, hidden=False, idea__hidden=False)
        .select_related("idea")
        .order_by("pk")
    )
    return {"workshop_ideas": ideas, "workshop_comments": comments}


def ideas_waiting_for_reply(*, user, days: int) -> QuerySet:
    """Public ideas still `published` (nobody has taken them up) after `days` days, oldest first."""
    cutoff = timezone.now() - timedelta(days=days)
    ideas = Idea.objects.visible_to(user).filter(
        status=Idea.Status.PUBLISHED, hidden=False, created_at__lt=cutoff
    )
    themes = moderated_theme_ids(user)
    if themes is not None:
        ideas = ideas.filter(theme_id__in=themes)
    return ideas.order_by("created_at")
