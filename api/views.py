"""The read-only public API, version 1.

Every queryset here comes from the owning app's public method or selector, evaluated for an
anonymous visitor (`ANONYMOUS`), whoever sends the request: the API authenticates nobody, so
a logged-in member or the SMARTCity team sees here exactly what a visitor sees on the site.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, F, IntegerField, Prefetch, When, prefetch_related_objects
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from geraportal.core.markdown import render_markdown
from geraportal.districts.models import District
from geraportal.pages.models import Event, NewsPost
from geraportal.strategy.models import StrategyEdition
from ideas import selectors as idea_selectors
from ideas import services as idea_services
from ideas.models import Competition, Criterion, Idea
from pilots import selectors as pilot_selectors
from pilots.models import Pilot, PilotStatusChange, PilotUpdate
from plenary import services as plenary_services
from plenary.models import AgendaItem, Poll, PollOption
from plenary.models import Meeting as PlenaryMeeting
from workgroups.models import Meeting as WorkgroupMeeting
from workgroups.models import WorkingGroup

from . import serializers
from .pagination import StableCursorPagination

ANONYMOUS = AnonymousUser()
PAGING_PARAMS = {"cursor", "page_size"}
GEOJSON_MAX_PAGE_SIZE = 1000


def activate_language(request) -> str:
    """The language from `Accept-Language` alone (German by default), never from a cookie or
    an account: a public, cacheable answer must depend only on what `Vary` names."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            language = translation.get_supported_language_variant(code)
            break
        except LookupError:
            continue
    else:
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


# List (cursor-paginated, filtered) and detail of public records; nothing else. Query
# parameters are checked before anything is read: an unknown one is an error, not silently
# ignored, so a typo (`?staus=`) does not quietly return everything.
class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = StableCursorPagination
    ordering: tuple[str, ...] = ("-pk",)
    query_serializer_class: type[drf_serializers.Serializer] | None = None
    paginated_actions = ("list",)

    def initial(self, request, *args, **kwargs):
        activate_language(request)
        super().initial(request, *args, **kwargs)
        self.filters = self.read_filters(request)

    def get_query_serializer_class(self):
        return self.query_serializer_class if self.action == "list" else None

    def read_filters(self, request) -> dict:
        serializer_class = self.get_query_serializer_class()
        allowed = set(PAGING_PARAMS) if self.action in self.paginated_actions else set()
        values = {k: v for k, v in request.query_params.items() if k not in PAGING_PARAMS}
        query = serializer_class(data=values) if serializer_class is not None else None
        if query is not None:
            allowed |= set(query.fields)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: [_("This query parameter is not known here.")] for name in unknown})
        if query is None:
            return {}
        query.is_valid(raise_exception=True)
        return query.validated_data

    def get_ordering(self) -> tuple[str, ...]:
        return self.ordering

    def decorate(self, objects: list) -> None:
        """Attach what the serializer reads to a page of records (prefetched, not queried per row)."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.decorate(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.decorate([instance])
        return Response(self.get_serializer(instance).data)


# --- Reference data -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Districts (Stadtteile and Ortsteile)", tags=["reference"]),
    retrieve=extend_schema(summary="A district", tags=["reference"]),
)
class DistrictViewSet(PublicViewSet):
    serializer_class = serializers.DistrictSerializer
    lookup_field = "slug"
    ordering = ("name", "pk")

    def get_queryset(self):
        return District.objects.select_related("parent")


@extend_schema_view(
    list=extend_schema(summary="The five working groups (also the themes of ideas)", tags=["workgroups"]),
    retrieve=extend_schema(summary="A working group", tags=["workgroups"]),
    meetings=extend_schema(summary="A working group's public meetings", tags=["workgroups"]),
)
class WorkingGroupViewSet(PublicViewSet):
    serializer_class = serializers.WorkingGroupSerializer
    lookup_field = "slug"
    ordering = ("position", "pk")
    paginated_actions = ("list", "meetings")

    def get_queryset(self):
        return WorkingGroup.objects.all()

    @action(detail=True, serializer_class=serializers.WorkgroupMeetingSerializer)
    def meetings(self, request, slug=None):
        """Members-only meetings never appear (`Meeting.objects.public()`)."""
        group = self.get_object()
        meetings = WorkgroupMeeting.objects.public().filter(group=group)
        self.ordering = ("starts_at", "pk")
        page = self.paginate_queryset(meetings)
        for meeting in page:
            meeting.group = group  # for its address, without a query per meeting
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- Ideas --------------------------------------------------------------------------------


def _idea_filters(values: dict) -> idea_selectors.IdeaFilters:
    return idea_selectors.IdeaFilters(
        theme=values.get("theme"),
        district=values.get("district"),
        status=values.get("status", ""),
        competition=values.get("competition"),
        source=values.get("source", ""),
        q=values.get("search", ""),
        sort=values.get("sort", "newest"),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Ideas",
        description="Hidden ideas never appear. Filters as on the website; `search` keeps the chosen order.",
        parameters=[serializers.IdeaQuerySerializer],
        tags=["ideas"],
    ),
    retrieve=extend_schema(summary="An idea with its public history and pilot projects", tags=["ideas"]),
    geojson=extend_schema(
        summary="Located ideas as GeoJSON",
        description="A FeatureCollection of the ideas with coordinates, a page at a time "
        f"(`page_size` up to {GEOJSON_MAX_PAGE_SIZE}); `next` holds the next page.",
        parameters=[
            serializers.IdeaMapQuerySerializer,
            OpenApiParameter("cursor", str, description="From `next` or `previous`."),
            OpenApiParameter("page_size", int, description=f"1 to {GEOJSON_MAX_PAGE_SIZE}."),
        ],
        responses={(200, "application/geo+json"): serializers.IdeaFeatureCollectionSerializer},
        tags=["ideas"],
    ),
)
class IdeaViewSet(PublicViewSet):
    serializer_class = serializers.IdeaSerializer
    query_serializer_class = serializers.IdeaQuerySerializer
    lookup_value_regex = "[0-9]{1,18}"
    paginated_actions = ("list", "geojson")

    def get_query_serializer_class(self):
        if self.action == "geojson":
            return serializers.IdeaMapQuerySerializer
        return super().get_query_serializer_class()

    def get_serializer_class(self):
        return serializers.IdeaDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_queryset(self):
        """Only the columns the list and the GeoJSON show: the rows carried every column of the
        idea, of its author and of the idea it was merged into (search vectors included), which
        was most of the query's 13 ms at 50,000 ideas."""
        filters = _idea_filters(getattr(self, "filters", {}))
        return (
            idea_selectors.idea_list(user=ANONYMOUS, filters=filters)
            .select_related(None)
            .select_related("theme", "district", "competition")
            .only(*serializers.IdeaSerializer.columns)
            .annotate(
                merged_into_public=Case(
                    When(merged_into__hidden=False, then=F("merged_into_id")), output_field=IntegerField()
                )
            )
        )

    def get_ordering(self) -> tuple[str, ...]:
        return idea_selectors.SORTS[getattr(self, "filters", {}).get("sort") or "newest"]

    def get_object(self) -> Idea:
        try:
            idea = idea_selectors.idea_for_detail(user=ANONYMOUS, pk=int(self.kwargs["pk"]))
        except Idea.DoesNotExist:
            raise NotFound from None
        prefetch_related_objects(
            [idea],
            Prefetch(
                "pilots", queryset=Pilot.objects.public().order_by("title", "pk"), to_attr="public_pilots"
            ),
        )
        return idea

    @action(detail=False, serializer_class=serializers.IdeaFeatureCollectionSerializer)
    def geojson(self, request):
        ideas = self.get_queryset().filter(latitude__isnull=False, longitude__isnull=False)
        bbox = self.filters.get("bbox")
        if bbox:
            west, south, east, north = bbox
            ideas = ideas.filter(
                latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
            )
        paginator = StableCursorPagination(max_page_size=GEOJSON_MAX_PAGE_SIZE)
        page = paginator.paginate_queryset(ideas, request, view=self)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(idea.longitude), float(idea.latitude)]},
                "properties": {
                    "id": idea.pk,
                    "title": idea.title,
                    "status": idea.status,
                    "theme": idea.theme.slug,
                    "supports_count": idea.support_count,
                    "url": request.build_absolute_uri(idea.get_absolute_url()),
                },
            }
            for idea in page
        ]
        return Response(
            {
                "type": "FeatureCollection",
                "features": features,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
            },
            content_type="application/geo+json",
        )


@extend_schema_view(
    list=extend_schema(summary="Ideas competitions", tags=["ideas"]),
    retrieve=extend_schema(
        summary="An ideas competition, with its ranking once the results are published", tags=["ideas"]
    ),
)
class CompetitionViewSet(PublicViewSet):
    serializer_class = serializers.CompetitionSerializer
    lookup_field = "slug"
    ordering = ("-submission_start", "-pk")

    def get_serializer_class(self):
        return serializers.CompetitionDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_queryset(self):
        return Competition.objects.prefetch_related(
            "themes", Prefetch("criteria", queryset=Criterion.objects.all())
        )

    def decorate(self, objects: list) -> None:
        if self.action != "retrieve":
            return
        for competition in objects:
            # The same rule as the competition page: jurors' scores stay private until the results.
            visible = ANONYMOUS.has_perm("ideas.view_competition_scores", competition)
            competition.ranking = (
                idea_services.competition_ranking(competition=competition) if visible else None
            )


# --- Pilots -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Pilot projects",
        description="Drafts of the working groups never appear.",
        parameters=[serializers.PilotQuerySerializer],
        tags=["pilots"],
    ),
    retrieve=extend_schema(
        summary="A pilot project with milestones, status history and the ideas it grew from", tags=["pilots"]
    ),
    updates=extend_schema(summary="A pilot project's progress updates, newest first", tags=["pilots"]),
)
class PilotViewSet(PublicViewSet):
    serializer_class = serializers.PilotSerializer
    query_serializer_class = serializers.PilotQuerySerializer
    lookup_field = "slug"
    ordering = ("title", "pk")
    paginated_actions = ("list", "updates")

    def get_serializer_class(self):
        return serializers.PilotDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_queryset(self):
        values = getattr(self, "filters", {})
        filters = pilot_selectors.PilotFilters(
            status=values.get("status", ""),
            group=values.get("working_group"),
            district=values.get("district"),
        )
        return pilot_selectors.pilot_list(user=ANONYMOUS, filters=filters)

    def get_object(self) -> Pilot:
        try:
            pilot = pilot_selectors.pilot_for_detail(user=ANONYMOUS, slug=self.kwargs["slug"])
        except Pilot.DoesNotExist:
            raise NotFound from None
        pilot.milestone_total = len(pilot.milestone_list)
        pilot.milestone_done = sum(1 for m in pilot.milestone_list if m.is_done)
        pilot.public_history = list(
            PilotStatusChange.objects.filter(pilot=pilot)
            .exclude(to_status=Pilot.Status.DRAFT)
            .order_by("-created_at", "-pk")
        )
        return pilot

    @action(detail=True, serializer_class=serializers.PilotUpdateSerializer)
    def updates(self, request, slug=None):
        pilot = Pilot.objects.public().filter(slug=slug).only("pk", "slug").first()
        if pilot is None:
            raise NotFound
        self.ordering = ("-published_at", "-pk")
        page = self.paginate_queryset(PilotUpdate.objects.filter(pilot=pilot))
        for update in page:
            update.pilot = pilot
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- Plenary ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Plenary meetings", tags=["plenary"]),
    retrieve=extend_schema(summary="A plenary meeting with its agenda", tags=["plenary"]),
)
class PlenaryMeetingViewSet(PublicViewSet):
    serializer_class = serializers.PlenaryMeetingSerializer
    lookup_field = "slug"
    ordering = ("-starts_at", "-pk")

    def get_queryset(self):
        public_pilots = Pilot.objects.public().only("pk", "slug", "status")
        agenda = AgendaItem.objects.order_by("position", "pk").prefetch_related(
            Prefetch("pilot", queryset=public_pilots)
        )
        return PlenaryMeeting.objects.prefetch_related(
            Prefetch("agenda_items", queryset=agenda, to_attr="agenda_list"),
            Prefetch(
                "polls",
                queryset=Poll.objects.visible_to(ANONYMOUS).only("pk", "meeting_id"),
                to_attr="public_polls",
            ),
        )

    def decorate(self, objects: list) -> None:
        for meeting in objects:
            meeting.poll_ids = [poll.pk for poll in meeting.public_polls]
            for item in meeting.agenda_list:
                # A draft was prefetched as None: the agenda never links to a group's draft.
                item.public_pilot_slug = item.pilot.slug if item.pilot is not None else None


@extend_schema_view(
    list=extend_schema(summary="Polls of the plenary (not drafts)", tags=["plenary"]),
    retrieve=extend_schema(
        summary="A poll, with its result and the ballot-set hash once the result is published",
        tags=["plenary"],
    ),
)
class PollViewSet(PublicViewSet):
    serializer_class = serializers.PollSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_serializer_class(self):
        return serializers.PollDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_queryset(self):
        return (
            Poll.objects.visible_to(ANONYMOUS)
            .select_related("meeting")
            .prefetch_related(
                Prefetch(
                    "options", queryset=PollOption.objects.select_related("pilot"), to_attr="option_list"
                )
            )
        )

    def decorate(self, objects: list) -> None:
        if self.action != "retrieve":
            return
        for poll in objects:
            # Only a published result: an open poll's numbers are nobody's, a closed one's only the team's.
            published = poll.status == Poll.Status.PUBLISHED
            poll.result = plenary_services.poll_result(poll=poll).as_dict() if published else None


# --- News, events, strategy ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="News (published posts only)", tags=["news and events"]),
    retrieve=extend_schema(summary="A news post", tags=["news and events"]),
)
class NewsViewSet(PublicViewSet):
    serializer_class = serializers.NewsPostSerializer
    lookup_field = "slug"
    ordering = ("-published_at", "-pk")

    def get_serializer_class(self):
        return serializers.NewsPostDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_queryset(self):
        # Drafts (no date) and scheduled posts (a date to come) are not public.
        return NewsPost.objects.published()

    def decorate(self, objects: list) -> None:
        if self.action == "retrieve":
            for post in objects:
                post.body_html = render_markdown(post.body)


@extend_schema_view(
    list=extend_schema(summary="Workshops and other events of the SMARTCity team", tags=["news and events"]),
    retrieve=extend_schema(summary="An event", tags=["news and events"]),
)
class EventViewSet(PublicViewSet):
    serializer_class = serializers.EventSerializer
    lookup_value_regex = "[0-9]{1,18}"
    ordering = ("starts_at", "pk")

    def get_queryset(self):
        return Event.objects.all()


@extend_schema_view(
    list=extend_schema(summary="Published editions of the SMARTCity strategy", tags=["strategy"]),
    retrieve=extend_schema(summary="A strategy edition", tags=["strategy"]),
)
class StrategyEditionViewSet(PublicViewSet):
    serializer_class = serializers.StrategyEditionSerializer
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"
    ordering = ("-year",)

    def get_queryset(self):
        return StrategyEdition.objects.published()
