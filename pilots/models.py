from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geraportal.accounts.rules import is_smartcity_team
from workgroups.selectors import member_group_ids

# Budgets up to 9,999,999,999.99 EUR: larger numbers (or 1e309, which Python reads as infinity)
# are refused by the form and cannot be stored.
BUDGET_MAX = Decimal("9999999999.99")


class Organisation(models.Model):
    """Who carries out a pilot: a city office or a municipal company. Data the team edits."""

    class Kind(models.TextChoices):
        CITY_OFFICE = "city_office", _("city office")
        MUNICIPAL_COMPANY = "municipal_company", _("municipal company")
        OTHER = "other", _("other organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY_OFFICE)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["city_office", "municipal_company", "other"]),
                name="pilots_organisation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PilotQuerySet(models.QuerySet):
    def public(self):
        """Everything but the group-internal drafts: for feeds, exports and lists without a viewer."""
        return self.exclude(status=Pilot.Status.DRAFT)

    def visible_to(self, user):
        """Drafts are seen by the members of the pilot's working group and the SMARTCity team."""
        if user is None or not user.is_authenticated:
            return self.public()
        if is_smartcity_team(user):
            return self
        return self.filter(
            ~models.Q(status=Pilot.Status.DRAFT) | models.Q(working_group_id__in=member_group_ids(user))
        )

    def for_list(self):
        return self.select_related("working_group", "organisation").prefetch_related("districts")


class Pilot(models.Model):
    """A pilot project: born as a working group's draft, tracked until it is completed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSED = "proposed", _("proposed to the plenary")
        PRIORITISED = "prioritised", _("prioritised by the plenary")
        SELECTED = "selected", _("selected by the strategy group")
        APPROVED = "approved", _("approved by the city council")
        REJECTED = "rejected", _("rejected by the city council")
        TENDERING = "tendering", _("tendering")
        IMPLEMENTATION = "implementation", _("in implementation")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=200)
    # editable=False marks what is not the record a person edits (in the portal's form or the
    # admin): the address, the bookkeeping and everything the lifecycle services write.
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False, editable=False)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    # Rendered and sanitised when written, so a page of many pilots never renders Markdown.
    description_html = models.TextField(blank=True, editable=False)
    working_group = models.ForeignKey(
        "workgroups.WorkingGroup",
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    source_ideas = models.ManyToManyField(
        "ideas.Idea", verbose_name=_("source ideas"), related_name="pilots", blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    districts = models.ManyToManyField(
        "districts.District", verbose_name=_("districts"), related_name="pilots", blank=True
    )
    # The strategy's measures this pilot implements (the strategy shows them on each measure).
    strategy_measures = models.ManyToManyField(
        "strategy.StrategyMeasure",
        verbose_name=_("strategy measures"),
        related_name="pilots",
        blank=True,
        help_text=_("The measures of the SMARTCity strategy that this pilot project implements."),
    )
    location_text = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    budget_planned = models.DecimalField(
        _("planned budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(BUDGET_MAX)],
    )
    funding_share = models.DecimalField(
        _("funding share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("The share of the budget paid from the Smart City funding programme."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    # [{"title": ..., "url": ...}]: links to documents (the council's resolution, reports, tenders),
    # edited as one list with the record.
    links = models.JSONField(_("links to documents"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    # Recorded by `pilot_record_plenary_result` (the plenary app, or staff by hand).
    plenary_rank = models.PositiveIntegerField(_("plenary rank"), null=True, blank=True, editable=False)
    plenary_note = models.TextField(_("plenary result"), blank=True, editable=False)
    selection_rationale = models.TextField(_("reason for the selection"), blank=True, editable=False)
    council_date = models.DateField(_("date of the council decision"), null=True, blank=True, editable=False)
    council_resolution = models.CharField(_("resolution number"), max_length=60, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    objects = PilotQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "proposed",
                        "prioritised",
                        "selected",
                        "approved",
                        "rejected",
                        "tendering",
                        "implementation",
                        "completed",
                        "cancelled",
                    ]
                ),
                name="pilots_pilot_status_valid",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(budget_planned__isnull=True)
                | models.Q(budget_planned__gte=0, budget_planned__lte=BUDGET_MAX),
                name="pilots_pilot_budget_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(funding_share__isnull=True)
                | models.Q(funding_share__gte=0, funding_share__lte=100),
                name="pilots_pilot_funding_share_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_start__isnull=True)
                | models.Q(planned_end__isnull=True)
                | models.Q(planned_start__lte=models.F("planned_end")),
                name="pilots_pilot_planned_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_start__isnull=True)
                | models.Q(actual_end__isnull=True)
                | models.Q(actual_start__lte=models.F("actual_end")),
                name="pilots_pilot_actual_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True) | models.Q(actual_start__isnull=False),
                name="pilots_pilot_actual_end_needs_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (
                    models.Q(latitude__gte=-90, latitude__lte=90)
                    & models.Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="pilots_pilot_location_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(plenary_rank__isnull=True) | models.Q(plenary_rank__gte=1),
                name="pilots_pilot_plenary_rank_positive",
            ),
            # A council decision is always recorded with its date and resolution number.
            models.CheckConstraint(
                condition=~models.Q(
                    status__in=["approved", "rejected", "tendering", "implementation", "completed"]
                )
                | (models.Q(council_date__isnull=False) & ~models.Q(council_resolution="")),
                name="pilots_pilot_council_decision_recorded",
            ),
        ]
        indexes = [models.Index(fields=["status", "title"], name="pilots_pilot_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # The date rules of Meta.constraints, said again here only to name the field to correct.
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = _("Please give the actual start as well.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def record_fields(cls) -> list[str]:
        """The columns of the record a person edits: every editable concrete field."""
        return [f.attname for f in cls._meta.concrete_fields if f.editable and not f.primary_key]

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def document_links(self) -> list[dict[str, str]]:
        """The links to show: only web addresses, whatever was stored (e.g. through the admin)."""
        return [
            link
            for link in self.links or []
            if isinstance(link, dict) and str(link.get("url", "")).startswith(("https://", "http://"))
        ]

    def next_statuses(self) -> list[str]:
        return sorted(TRANSITIONS.get(self.status, set()), key=STATUS_ORDER.index)


# The one table of allowed status changes. Everything else is impossible, through any door.
TRANSITIONS: dict[str, set[str]] = {
    Pilot.Status.DRAFT: {Pilot.Status.PROPOSED},
    Pilot.Status.PROPOSED: {Pilot.Status.PRIORITISED},
    Pilot.Status.PRIORITISED: {Pilot.Status.SELECTED},
    Pilot.Status.SELECTED: {Pilot.Status.APPROVED, Pilot.Status.REJECTED},
    Pilot.Status.APPROVED: {Pilot.Status.TENDERING, Pilot.Status.CANCELLED},
    Pilot.Status.REJECTED: set(),
    Pilot.Status.TENDERING: {Pilot.Status.IMPLEMENTATION, Pilot.Status.CANCELLED},
    Pilot.Status.IMPLEMENTATION: {Pilot.Status.COMPLETED, Pilot.Status.CANCELLED},
    Pilot.Status.COMPLETED: set(),
    Pilot.Status.CANCELLED: set(),
}

# The stages in pipeline order (the board's columns).
STATUS_ORDER: list[str] = list(Pilot.Status.values)


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


class PilotStatusChange(models.Model):
    """The history of a pilot's status: who moved it, when, from where to where, and why."""

    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot project"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Pilot.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Pilot.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    council_date = models.DateField(_("date of the council decision"), null=True, blank=True)
    council_resolution = models.CharField(_("resolution number"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_status__in=Pilot.Status.values), name="pilots_statuschange_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(to_status="cancelled") | ~models.Q(note=""),
                name="pilots_statuschange_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(to_status__in=["approved", "rejected"])
                | (models.Q(council_date__isnull=False) & ~models.Q(council_resolution="")),
                name="pilots_statuschange_council_decision_recorded",
            ),
        ]
        indexes = [models.Index(fields=["pilot", "created_at"], name="pilots_statuschange_timeline")]

    def __str__(self) -> str:
        return f"{self.pilot_id}: {self.from_status} → {self.to_status}"

    @property
    def is_public(self) -> bool:
        return self.to_status != Pilot.Status.DRAFT


class PilotImage(models.Model):
    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot project"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("image"), upload_to="pilots/images/")
    alt = models.CharField(_("image description"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["pilot", "position", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(alt=""), name="pilots_image_has_alt")]

    def __str__(self) -> str:
        return self.alt


class Milestone(models.Model):
    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Not before the milestone was created and not in the future: the services check it.
    done_date = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["pilot", models.F("due_date").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_date is not None

    def is_overdue_on(self, today) -> bool:
        return self.done_date is None and self.due_date is not None and self.due_date < today


class PilotUpdate(models.Model):
    """A dated progress report on the public timeline, written by the SMARTCity team."""

    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot project"), on_delete=models.CASCADE, related_name="updates"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)
    image = models.ImageField(_("image"), upload_to="pilots/updates/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""), name="pilots_update_image_has_alt"
            ),
        ]
        indexes = [models.Index(fields=["pilot", "-published_at"], name="pilots_update_timeline")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('pilots:detail', kwargs={'slug': self.pilot.slug})}#update-{self.pk}"


class PilotFollow(models.Model):
    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot project"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="pilot_follows",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["pilot", "user"], name="pilots_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.pilot_id}"
