import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geraportal.core.translated import pick

# Upper bounds of what people type; the forms say the same (with a readable message).
MAX_SECTION_BODY = 30_000
MAX_QUOTE = 2_000
MAX_SUGGESTION_TEXT = 5_000
CONTEXT_CHARS = 32


def document_path(instance, filename: str) -> str:
    """A random name that always ends in .pdf: the uploader's name and extension are not used,
    so a file can never be served as anything but a PDF."""
    return f"strategy/{uuid.uuid4().hex}.pdf"


class Phase(models.TextChoices):
    """Where an edition stands in its update cycle. Derived from its dates, never stored."""

    DRAFT = "draft", _("draft by the SMARTCity team")
    CONSULTATION = "consultation", _("public consultation")
    REVIEW = "review", _("review by the working groups")
    DECISION = "decision", _("decision by the SMARTCity team")
    APPROVAL = "approval", _("approval by the strategy group")
    APPROVED = "approved", _("approved, awaiting publication")
    PUBLISHED = "published", _("published")


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def public(self):
        """Every edition but a draft, as `StrategyEdition.phase()` and the rules count them."""
        return self.filter(
            Q(published_at__isnull=False)
            | Q(approved_at__isnull=False)
            | Q(consultation_starts__lte=timezone.localdate())
        )


class StrategyEdition(models.Model):
    """One edition of the SMARTCity strategy: the original (2019–2022) or an update.

    An update runs through a cycle whose phases follow from the dates below (the schedule
    supplies defaults); the two steps that people take — the strategy group's approval and
    the publication — are recorded as timestamps.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2019), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("updates the edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.FileField(_("document (PDF)"), upload_to=document_path, blank=True)
    consultation_starts = models.DateField(_("public consultation from"), null=True, blank=True)
    consultation_ends = models.DateField(_("public consultation until"), null=True, blank=True)
    review_ends = models.DateField(_("review by the working groups until"), null=True, blank=True)
    decision_ends = models.DateField(_("decision by the SMARTCity team until"), null=True, blank=True)
    consultation_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved by the strategy group"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_note = models.TextField(_("note of the strategy group"), blank=True)
    council_date = models.DateField(_("date of the council resolution"), null=True, blank=True)
    council_resolution = models.CharField(_("resolution number"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The PDF generated from the text (the uploaded `document` wins if there is one).
    pdf = models.FileField(_("generated PDF"), upload_to=document_path, blank=True, editable=False)
    pdf_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_error = models.CharField(max_length=300, blank=True, editable=False)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy edition")
        verbose_name_plural = _("strategy editions")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2019), name="edition_year_from_2019"),
            # The cycle's dates are given all together, in order (a phase may be empty).
            models.CheckConstraint(
                condition=Q(
                    consultation_starts__isnull=True,
                    consultation_ends__isnull=True,
                    review_ends__isnull=True,
                    decision_ends__isnull=True,
                )
                | Q(
                    consultation_starts__lte=models.F("consultation_ends"),
                    consultation_ends__lte=models.F("review_ends"),
                    review_ends__lte=models.F("decision_ends"),
                ),
                name="strategy_edition_cycle_dates_in_order",
            ),
            # The council's resolution is recorded with its date and number, like a pilot's.
            models.CheckConstraint(
                condition=Q(council_date__isnull=True, council_resolution="")
                | (Q(council_date__isnull=False) & ~Q(council_resolution="")),
                name="strategy_edition_council_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategy_public:edition", kwargs={"year": self.year})

    def phase(self, today: date | None = None) -> Phase:
        if self.published_at:
            return Phase.PUBLISHED
        if self.approved_at:
            return Phase.APPROVED
        today = today or timezone.localdate()
        if self.consultation_starts is None or today < self.consultation_starts:
            return Phase.DRAFT
        if self.consultation_ends and today <= self.consultation_ends:
            return Phase.CONSULTATION
        if self.review_ends and today <= self.review_ends:
            return Phase.REVIEW
        if self.decision_ends and today <= self.decision_ends:
            return Phase.DECISION
        return Phase.APPROVAL

    @property
    def download(self):
        """The PDF to offer: the uploaded one, else the generated one (or nothing)."""
        return self.document or self.pdf or None

    @property
    def download_url(self) -> str:
        """Where the PDF is served: a view that checks the edition (uploads have no URL of their own)."""
        return reverse("strategy_public:pdf", kwargs={"year": self.year}) if self.download else ""

    @property
    def generated_pdf_url(self) -> str:
        return reverse("strategy_public:pdf", kwargs={"year": self.year}) + "?generated=1" if self.pdf else ""


class StrategyMeasure(models.Model):
    """A measure of the strategy as something that lasts across editions.

    Each edition has its own text of the measure (a `Section` pointing here); pilots say
    which measures they implement by pointing here, so an update does not cut the link.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("strategy measure")
        verbose_name_plural = _("strategy measures")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy_public:measure", kwargs={"key": self.key})

    @property
    def title(self) -> str:
        return pick(self, "title")


class Section(models.Model):
    """A part of an edition's text: a field of action, a goal or a measure, in Markdown.

    `key` names the same section across editions (that is what the diff pairs); the HTML is
    rendered and sanitised when the text is written.
    """

    class Kind(models.TextChoices):
        FIELD = "field", _("field of action")
        GOAL = "goal", _("goal")
        MEASURE = "measure", _("measure")

    edition = models.ForeignKey(StrategyEdition, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=80, help_text=_("Stays the same in every edition."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIELD)
    # The slug of the working group that looks after this section in the review (its theme);
    # a slug, not a key, because `geraportal` does not import the working groups.
    theme = models.SlugField(_("working group"), max_length=60, blank=True)
    measure = models.ForeignKey(
        StrategyMeasure, null=True, blank=True, on_delete=models.PROTECT, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_de = models.TextField(_("text (German)"), max_length=MAX_SECTION_BODY)
    body_en = models.TextField(_("text (English)"), max_length=MAX_SECTION_BODY, blank=True)
    body_html_de = models.TextField(editable=False, blank=True)
    body_html_en = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="strategy_section_key_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["field", "goal", "measure"]), name="strategy_section_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(measure__isnull=True) | Q(kind="measure"),
                name="strategy_section_measure_only_for_measures",
            ),
        ]

    def __str__(self) -> str:
        return self.title_de

    @property
    def title(self) -> str:
        return pick(self, "title")

    @property
    def has_english(self) -> bool:
        return bool(self.body_en.strip())


class SectionVersion(models.Model):
    """The text of a section as it was: one row per edit, each accepted suggestion included."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title_de = models.CharField(max_length=200)
    body_de = models.TextField()
    body_en = models.TextField(blank=True)
    suggestion = models.ForeignKey(
        "Suggestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("section version")
        verbose_name_plural = _("section versions")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="strategy_section_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class SuggestionQuerySet(models.QuerySet):
    def changes(self):
        return self.filter(kind=Suggestion.Kind.CHANGE)

    def for_page(self):
        return self.select_related("author", "section", "recommendation")

    def public(self):
        return self.filter(hidden=False)

    def visible_to(self, user):
        """What the public sees; a hidden suggestion only to its author (with the reason)."""
        if user is None or not user.is_authenticated:
            return self.public()
        return self.filter(Q(hidden=False) | Q(author=user))


class Suggestion(models.Model):
    """A citizen's comment on a section, or a proposed change to a passage of it.

    A change is anchored by its section, the quoted passage (German text) and a little text
    around it; when the section is edited the quote is looked for again (re-anchored) and,
    if it is gone, the suggestion is flagged instead of being silently moved.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        CHANGE = "change", _("proposed change")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        ACCEPTED_CHANGED = "accepted_changed", _("accepted with changes")
        DECLINED = "declined", _("declined")

    class Anchor(models.TextChoices):
        OK = "ok", _("passage found")
        LOST = "lost", _("passage changed")

    edition = models.ForeignKey(StrategyEdition, on_delete=models.CASCADE, related_name="suggestions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    quote = models.TextField(_("passage"), max_length=MAX_QUOTE, blank=True)
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    anchor = models.CharField(max_length=4, choices=Anchor.choices, default=Anchor.OK)
    replacement = models.TextField(_("replacement"), max_length=MAX_SUGGESTION_TEXT, blank=True)
    text = models.TextField(_("reason or comment"), max_length=MAX_SUGGESTION_TEXT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    final_text = models.TextField(_("text as accepted"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Spam, abuse, off topic: hidden by the team or the section's group moderators, never
    # deleted (the author sees it with the reason; decisions and versions may refer to it).
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), max_length=MAX_SUGGESTION_TEXT, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["comment", "change"]), name="strategy_suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "accepted_changed", "declined"]),
                name="strategy_suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(anchor__in=["ok", "lost"]), name="strategy_suggestion_anchor_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="comment") | ~Q(quote=""), name="strategy_suggestion_change_has_quote"
            ),
            # A comment is never decided; a decision always has a public reason.
            models.CheckConstraint(
                condition=Q(status="open") | (Q(kind="change") & ~Q(decision_reason="")),
                name="strategy_suggestion_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""), name="strategy_suggestion_hidden_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"], name="strategy_suggestion_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.section}"

    def get_absolute_url(self) -> str:
        return (
            reverse("strategy_public:edition", kwargs={"year": self.edition.year}) + f"#vorschlag-{self.pk}"
        )

    @property
    def is_change(self) -> bool:
        return self.kind == self.Kind.CHANGE

    @property
    def is_decided(self) -> bool:
        return self.status != self.Status.OPEN

    @property
    def is_accepted(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.ACCEPTED_CHANGED)


class Recommendation(models.Model):
    """A working group's recommendation on a suggestion for one of its sections."""

    class Verdict(models.TextChoices):
        ACCEPT = "accept", _("accept")
        ACCEPT_CHANGED = "accept_changed", _("accept with changes")
        DECLINE = "decline", _("decline")

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="recommendation")
    theme = models.SlugField(max_length=60)
    verdict = models.CharField(_("recommendation"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("reason"), max_length=MAX_SUGGESTION_TEXT)
    thread_url = models.CharField(
        _("discussion in the group's space"),
        max_length=300,
        blank=True,
        help_text=_(
            "The address of the group's discussion thread about it, e.g. /workgroups/wirtschaft/diskussionen/12/."  # noqa: E501
        ),
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=["accept", "accept_changed", "decline"]),
                name="strategy_recommendation_verdict_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.verdict}"


class Follower(models.Model):
    """Someone who hears of the strategy's consultations, decisions and new editions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("strategy follower")
        verbose_name_plural = _("strategy followers")

    def __str__(self) -> str:
        return str(self.user_id)


class StrategyReminder(models.Model):
    """A reminder that was sent; the unique key makes each reminder go out exactly once."""

    due_date = models.DateField(_("due date"))
    offset = models.CharField(
        _("reminder"),
        max_length=10,
        help_text=_("Days before the due date, 'overdue', or the phase of the cycle that began."),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("strategy reminder")
        verbose_name_plural = _("strategy reminders")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["due_date", "offset"], name="strategy_reminder_once")]

    def __str__(self) -> str:
        return f"{self.due_date} ({self.offset})"
