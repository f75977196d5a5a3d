"""What the API shows of each record: the fields the public website shows, and no others.

Never here: e-mail addresses (also a pilot's contact address), names of people (authors,
voters, whoever changed a status), moderation notes, anything of a hidden or private record.
The querysets that feed these serializers come from the apps' own public methods (see views.py).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geraportal.districts.models import District
from geraportal.pages.models import Event, NewsPost
from geraportal.strategy.models import StrategyEdition
from ideas.models import Competition, Idea, Source
from pilots.models import Pilot
from workgroups.models import WorkingGroup


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class AbsoluteUrlField(serializers.Field):
    """The record's address on the website (`get_absolute_url`), absolute."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return absolute(self.context.get("request"), value.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(AbsoluteUrlField)


# --- Reference data -----------------------------------------------------------------------


class DistrictSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = District
        fields = ["slug", "name", "kind", "parent", "is_active"]


class WorkingGroupSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the requested language.")
    description = serializers.CharField(read_only=True, help_text="In the requested language.")
    url = AbsoluteUrlField()
    meetings = serializers.SerializerMethodField(help_text="The group's public meetings in this API.")

    class Meta:
        model = WorkingGroup
        fields = ["slug", "name", "name_de", "name_en", "description", "url", "meetings"]

    def get_meetings(self, group) -> str:
        return absolute(self.context.get("request"), reverse("api:workgroup-meetings", args=[group.slug]))


class WorkgroupMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField()
    online_url = serializers.CharField()
    agenda = serializers.CharField(help_text="Markdown.")
    minutes = serializers.CharField(help_text="Markdown; added after the meeting.")
    url = AbsoluteUrlField()


# --- Ideas --------------------------------------------------------------------------------


class LocationSerializer(serializers.Serializer):
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    place = serializers.CharField(source="location_text")


def _location(record) -> dict:
    """What LocationSerializer gives, written out (for the written-out list representations)."""
    return {
        "latitude": None if record.latitude is None else float(record.latitude),
        "longitude": None if record.longitude is None else float(record.longitude),
        "place": record.location_text,
    }


# Formats a moment as every DateTimeField of the API does (ISO 8601 in the city's time zone).
_MOMENT = serializers.DateTimeField()


# The statuses' labels (lazy: each is translated when shown). `get_status_display` built this
# mapping again for every row, a tenth of a list request of 30 ideas.
_IDEA_STATUS_LABELS = dict(Idea.Status.choices)


class IdeaSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    district = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    competition = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    location = LocationSerializer(source="*", read_only=True)
    supports_count = serializers.IntegerField(source="support_count", read_only=True)
    comments_count = serializers.IntegerField(source="comment_count", read_only=True)
    merged_into = serializers.SerializerMethodField()
    url = AbsoluteUrlField()

    class Meta:
        model = Idea
        fields = [
            "id", "title", "body", "status", "status_label", "theme", "district", "competition",
            "source", "location", "supports_count", "comments_count", "merged_into", "created_at",
            "updated_at", "url",
        ]  # fmt: skip

    # The columns these fields read (the list's queryset loads only these).
    columns = (
        "id", "title", "body", "status", "theme__slug", "district__slug", "competition__slug", "source",
        "latitude", "longitude", "location_text", "support_count", "comment_count", "merged_into_id",
        "created_at", "updated_at",
    )  # fmt: skip

    def to_representation(self, idea) -> dict:
        """What DRF's field-by-field representation gives (a test compares the two), written out:
        the generic one was about half of a list request at 50 ideas per page. Subclasses with
        more fields (the detail) keep the generic one."""
        if type(self) is not IdeaSerializer:
            return super().to_representation(idea)
        return {
            "id": idea.pk,
            "title": idea.title,
            "body": idea.body,
            "status": idea.status,
            "status_label": str(_IDEA_STATUS_LABELS.get(idea.status, idea.status)),
            "theme": idea.theme.slug,
            "district": idea.district.slug if idea.district_id else None,
            "competition": idea.competition.slug if idea.competition_id else None,
            "source": idea.source,
            "location": _location(idea),
            "supports_count": idea.support_count,
            "comments_count": idea.comment_count,
            "merged_into": self.get_merged_into(idea),
            "created_at": _MOMENT.to_representation(idea.created_at),
            "updated_at": _MOMENT.to_representation(idea.updated_at),
            "url": absolute(self.context.get("request"), idea.get_absolute_url()),
        }

    def get_merged_into(self, idea) -> int | None:
        """The idea this one was merged into, unless that one is hidden (the list annotates it)."""
        if hasattr(idea, "merged_into_public"):
            return idea.merged_into_public
        target = idea.merged_into
        return target.pk if target is not None and not target.hidden else None


class IdeaStatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    pilot_url = serializers.CharField()
    pilot_title = serializers.CharField()
    created_at = serializers.DateTimeField()


class PilotLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    url = AbsoluteUrlField()


class IdeaDetailSerializer(IdeaSerializer):
    history = IdeaStatusChangeSerializer(many=True, read_only=True)
    pilots = PilotLinkSerializer(source="public_pilots", many=True, read_only=True)

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "history", "pilots"]


class IdeaQuerySerializer(serializers.Serializer):
    """The filters of the ideas list and map: the same as on the website."""

    theme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=WorkingGroup.objects.all(),
        required=False,
        help_text="A working group's slug.",
    )
    district = serializers.SlugRelatedField(
        slug_field="slug", queryset=District.objects.all(), required=False, help_text="A district's slug."
    )
    status = serializers.ChoiceField(choices=Idea.Status.choices, required=False)
    competition = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Competition.objects.all(),
        required=False,
        help_text="A competition's slug.",
    )
    source = serializers.ChoiceField(
        choices=Source.choices,
        required=False,
        help_text="Where the idea came from: online, or entered by staff (workshop, phone, letter).",
    )
    search = serializers.CharField(
        required=False, max_length=200, help_text="Words in the title or the description."
    )
    sort = serializers.ChoiceField(
        choices=["newest", "supported", "discussed"], required=False, default="newest"
    )


class IdeaMapQuerySerializer(IdeaQuerySerializer):
    bbox = serializers.CharField(
        required=False, help_text="west,south,east,north in degrees (WGS 84): only ideas inside."
    )

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError(_("Give four numbers: west,south,east,north.")) from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise serializers.ValidationError(
                _("Not a box on the earth: west < east, south < north, in degrees.")
            )
        return west, south, east, north


class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="[longitude, latitude]"
    )


class IdeaFeaturePropertiesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    theme = serializers.CharField()
    supports_count = serializers.IntegerField()
    url = serializers.URLField()


class IdeaFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer()
    properties = IdeaFeaturePropertiesSerializer()


class IdeaFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = IdeaFeatureSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page of features, if any.")
    previous = serializers.URLField(allow_null=True)


# --- Competitions -------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class CompetitionSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    phase = serializers.ChoiceField(choices=Competition.Phase.choices, read_only=True)
    url = AbsoluteUrlField()

    class Meta:
        model = Competition
        fields = [
            "slug", "title", "description", "themes", "criteria", "submission_start",
            "submission_end", "results_at", "phase", "winners_count", "url",
        ]  # fmt: skip


class RankedIdeaSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea.pk")
    title = serializers.CharField(source="idea.title")
    score = serializers.FloatField(allow_null=True, help_text="Sum over the criteria of the jurors' mean.")
    is_winner = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return absolute(self.context.get("request"), row.idea.get_absolute_url())


class CompetitionDetailSerializer(CompetitionSerializer):
    ranking = RankedIdeaSerializer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text="Only once the results are published; null before.",
    )

    class Meta(CompetitionSerializer.Meta):
        fields = [*CompetitionSerializer.Meta.fields, "ranking"]


# --- Pilots -------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField(
        allow_null=True, help_text="Share of milestones done; null without any."
    )
    done = serializers.IntegerField()
    total = serializers.IntegerField()


_PILOT_STATUS_LABELS = dict(Pilot.Status.choices)
# The pilot's own values between "progress" and "location", as the declared fields show them.
_PILOT_VALUES = (
    "budget_planned", "funding_share", "planned_start", "planned_end", "actual_start", "actual_end",
    "plenary_rank", "council_date", "council_resolution",
)  # fmt: skip


class PilotSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    working_group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    districts = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    location = LocationSerializer(source="*", read_only=True)
    url = AbsoluteUrlField()

    class Meta:
        model = Pilot
        fields = [
            "slug", "title", "summary", "status", "status_label", "working_group", "organisation",
            "districts", "progress", "budget_planned", "funding_share", "planned_start",
            "planned_end", "actual_start", "actual_end", "plenary_rank", "council_date",
            "council_resolution", "location", "updated_at", "url",
        ]  # fmt: skip

    def to_representation(self, pilot) -> dict:
        """What DRF's field-by-field representation gives (a test compares the two), written out
        as the ideas' is: the generic one was most of a list request. Numbers and dates go
        through the declared fields. Subclasses with more fields (the detail) keep the generic."""
        if type(self) is not PilotSerializer:
            return super().to_representation(pilot)
        fields = self.fields

        def shown(name: str):
            value = getattr(pilot, name)
            return None if value is None else fields[name].to_representation(value)

        return {
            "slug": pilot.slug,
            "title": pilot.title,
            "summary": pilot.summary,
            "status": pilot.status,
            "status_label": str(_PILOT_STATUS_LABELS.get(pilot.status, pilot.status)),
            "working_group": pilot.working_group.slug,
            "organisation": pilot.organisation.name if pilot.organisation_id else None,
            "districts": [district.slug for district in pilot.districts.all()],
            "progress": self.get_progress(pilot),
            **{name: shown(name) for name in _PILOT_VALUES},
            "location": _location(pilot),
            "updated_at": shown("updated_at"),
            "url": absolute(self.context.get("request"), pilot.get_absolute_url()),
        }

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, pilot) -> dict:
        from pilots.selectors import progress_percent

        done, total = pilot.milestone_done, pilot.milestone_total
        return {"percent": progress_percent(done, total), "done": done, "total": total}


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    done_date = serializers.DateField(allow_null=True)


class PilotStatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    council_date = serializers.DateField(allow_null=True)
    council_resolution = serializers.CharField()
    created_at = serializers.DateTimeField()


class LinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()


class IdeaLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    url = AbsoluteUrlField()


class PilotDetailSerializer(PilotSerializer):
    # `pilot_for_detail` reads the districts with the pilot (one row each), not in a query of their own.
    districts = serializers.SerializerMethodField()
    links = LinkSerializer(source="document_links", many=True, read_only=True)
    milestones = MilestoneSerializer(source="milestone_list", many=True, read_only=True)
    status_history = PilotStatusChangeSerializer(source="public_history", many=True, read_only=True)
    ideas = IdeaLinkSerializer(source="idea_list", many=True, read_only=True)
    updates = serializers.SerializerMethodField(help_text="The progress updates (the timeline) in this API.")

    class Meta(PilotSerializer.Meta):
        fields = [
            *PilotSerializer.Meta.fields,
            "description",
            "description_html",
            "plenary_note",
            "selection_rationale",
            "links",
            "milestones",
            "status_history",
            "ideas",
            "updates",
        ]

    def get_districts(self, pilot) -> list[str]:
        return [district.slug for district in pilot.district_list]

    def get_updates(self, pilot) -> str:
        return absolute(self.context.get("request"), reverse("api:pilot-updates", args=[pilot.slug]))


class PilotUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="The Markdown, rendered and sanitised.")
    published_at = serializers.DateTimeField()
    url = AbsoluteUrlField()


class PilotQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Pilot.Status.choices, required=False)
    working_group = serializers.SlugRelatedField(
        slug_field="slug", queryset=WorkingGroup.objects.all(), required=False
    )
    district = serializers.SlugRelatedField(
        slug_field="slug", queryset=District.objects.all(), required=False
    )


# --- Plenary ------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    pilot = serializers.CharField(
        source="public_pilot_slug", allow_null=True, help_text="The pilot proposal's slug, if public."
    )


class PlenaryMeetingSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    description = serializers.CharField()
    agenda = AgendaItemSerializer(source="agenda_list", many=True)
    polls = serializers.ListField(
        child=serializers.IntegerField(), source="poll_ids", help_text="Ids of its polls in this API."
    )
    url = AbsoluteUrlField()


class PollOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    pilot = serializers.CharField(source="pilot.slug")


class OptionResultSerializer(serializers.Serializer):
    option_id = serializers.IntegerField()
    title = serializers.CharField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    approvals = serializers.IntegerField()
    points = serializers.IntegerField()
    supporters = serializers.IntegerField()
    score = serializers.IntegerField()
    rank = serializers.IntegerField()
    tied = serializers.BooleanField()
    accepted = serializers.BooleanField(allow_null=True)


class PollResultSerializer(serializers.Serializer):
    method = serializers.CharField()
    ballots = serializers.IntegerField()
    eligible = serializers.IntegerField()
    turnout_percent = serializers.FloatField()
    quorum = serializers.IntegerField(allow_null=True)
    quorum_met = serializers.BooleanField()
    selection_size = serializers.IntegerField()
    boundary_tie = serializers.BooleanField(help_text="A tie across the last place to fill.")
    options = OptionResultSerializer(many=True)


class PollSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    meeting = serializers.CharField(source="meeting.slug", allow_null=True, default=None)
    method = serializers.CharField()
    secret = serializers.BooleanField()
    eligibility = serializers.CharField()
    status = serializers.CharField()
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    options = PollOptionSerializer(source="option_list", many=True)
    ballot_hash = serializers.SerializerMethodField(
        help_text="SHA-256 of the ballot set, fixed at closing; shown once the result is published."
    )
    url = AbsoluteUrlField()

    def get_ballot_hash(self, poll) -> str | None:
        return poll.ballot_hash if poll.status == poll.Status.PUBLISHED else None


class PollDetailSerializer(PollSerializer):
    result = PollResultSerializer(
        allow_null=True, help_text="Only once the result is published: nobody sees partial results."
    )


# --- News, events, strategy ---------------------------------------------------------------


class NewsPostSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField()

    class Meta:
        model = NewsPost
        fields = ["slug", "title", "teaser", "published_at", "updated_at", "url"]


class NewsPostDetailSerializer(NewsPostSerializer):
    body_html = serializers.CharField(read_only=True, help_text="The Markdown, rendered and sanitised.")

    class Meta(NewsPostSerializer.Meta):
        fields = [*NewsPostSerializer.Meta.fields, "body", "body_html"]


class EventSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField()

    class Meta:
        model = Event
        fields = ["id", "title", "description", "starts_at", "ends_at", "location", "online_url", "url"]


class StrategyEditionSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()

    class Meta:
        model = StrategyEdition
        fields = ["year", "title", "summary", "published_at", "document"]

    def get_document(self, edition) -> str | None:
        """The PDF, if any."""
        return absolute(self.context.get("request"), edition.download_url) if edition.download else None
