from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .predicates import moderated_theme_ids


class Competition(models.Model):
    """An ideas competition the city runs. Its phase is derived from the dates, never stored."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        SUBMISSION = "submission", _("open for ideas")
        EVALUATION = "evaluation", _("jury evaluation")
        RESULTS = "results", _("results published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    themes = models.ManyToManyField(
        "workgroups.WorkingGroup",
        verbose_name=_("themes"),
        related_name="competitions",
        blank=True,
        help_text=_("Ideas must have one of these themes. Leave empty to allow every theme."),
    )
    submission_start = models.DateTimeField(_("submission opens"))
    submission_end = models.DateTimeField(_("submission closes"))
    results_at = models.DateTimeField(
        _("results published"), help_text=_("The jury evaluates between the end of submission and this date.")
    )
    winners_count = models.PositiveSmallIntegerField(_("number of winners"), default=3)
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("jury"), related_name="jury_competitions", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the team published the ranking with the jury's reasons (and everyone was told).
    ranking_published_at = models.DateTimeField(_("ranking published"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ideas competition")
        verbose_name_plural = _("ideas competitions")
        ordering = ["-submission_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission_start__lt=models.F("submission_end"))
                & models.Q(submission_end__lte=models.F("results_at")),
                name="ideas_competition_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(winners_count__gte=1), name="ideas_competition_has_winners"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:competition_detail", kwargs={"slug": self.slug})

    def phase_at(self, now) -> str:
        if now < self.submission_start:
            return self.Phase.UPCOMING
        if now < self.submission_end:
            return self.Phase.SUBMISSION
        if now < self.results_at:
            return self.Phase.EVALUATION
        return self.Phase.RESULTS

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return self.Phase(self.phase).label

    @property
    def accepts_ideas(self) -> bool:
        return self.phase == self.Phase.SUBMISSION

    @property
    def results_published(self) -> bool:
        return self.phase == self.Phase.RESULTS

    def check_accepts(self, *, theme_id: int, now: datetime) -> None:
        """Raise a ValidationError with a clear message unless this accepts an idea on `theme_id` now."""
        phase = self.phase_at(now)
        if phase == self.Phase.UPCOMING:
            raise ValidationError(
                _("The competition “%(title)s” accepts ideas from %(date)s.")
                % {"title": self.title, "date": _format(self.submission_start)},
                code="competition_not_open",
            )
        if phase != self.Phase.SUBMISSION:
            raise ValidationError(
                _("The submission period of the competition “%(title)s” ended on %(date)s.")
                % {"title": self.title, "date": _format(self.submission_end)},
                code="competition_closed",
            )
        theme_ids = {t.pk for t in self.themes.all()}
        if theme_ids and theme_id not in theme_ids:
            raise ValidationError(
                _("The competition “%(title)s” accepts ideas on other themes only.") % {"title": self.title},
                code="competition_theme",
            )


def _format(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


class Criterion(models.Model):
    """A published criterion the jury scores each idea on, from 1 to 5."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How much this criterion counts, from 1 to 10 (2 counts twice as much as 1)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["competition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="ideas_criterion_unique_name"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=10), name="ideas_criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    """Where a contribution came from. Everything but `online` was entered by staff on behalf of someone."""

    ONLINE = "online", _("online")
    WORKSHOP = "workshop", _("workshop")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")


class ContributedOffline(models.Model):
    """The fields of a contribution entered by staff on behalf of a person or a workshop.

    The source is shown publicly ("submitted at the workshop 'Mobilität' on 12.03.2026", "by
    phone"); the person's consent is recorded; an optional e-mail address lets them hear what
    becomes of it (if it belongs to an account, that account is the author instead).
    """

    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    source_event = models.ForeignKey(
        "pages.Event",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_date = models.DateField(_("date of the contribution"), null=True, blank=True)
    on_behalf_of = models.CharField(
        _("on behalf of"),
        max_length=120,
        blank=True,
        help_text=_("Shown publicly. Leave empty to show “a participant”."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_offline(self) -> bool:
        return self.source != Source.ONLINE


def _offline_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=models.Q(source__in=["online", "workshop", "phone", "letter"]),
            name=f"{prefix}_source_valid",
        ),
        # Entered on someone's behalf only with their consent, and a workshop names the workshop.
        models.CheckConstraint(
            condition=models.Q(source="online") | models.Q(consent_at__isnull=False),
            name=f"{prefix}_offline_has_consent",
        ),
        models.CheckConstraint(
            condition=~models.Q(source="workshop") | models.Q(source_event__isnull=False),
            name=f"{prefix}_workshop_named",
        ),
    ]


class IdeaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Hidden ideas are seen only by their author and by the moderators of their theme."""
        if user is None or not user.is_authenticated:
            return self.filter(hidden=False)
        themes = moderated_theme_ids(user)
        if themes is None:  # the SMARTCity team moderates every theme
            return self
        return self.filter(models.Q(hidden=False) | models.Q(author=user) | models.Q(theme_id__in=themes))

    def public(self):
        """What anyone may see: for feeds, the map and exports that do not know a viewer."""
        return self.filter(hidden=False)

    def for_list(self):
        return self.select_related("theme", "district", "author", "competition")


class Idea(ContributedOffline):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        IN_REVIEW = "in_review", _("in review")
        ADOPTED = "adopted", _("adopted")
        MERGED = "merged", _("merged")
        DECLINED = "declined", _("declined")

    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("description"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="ideas"
    )
    theme = models.ForeignKey(
        "workgroups.WorkingGroup", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="ideas"
    )
    district = models.ForeignKey(
        "districts.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    competition = models.ForeignKey(
        Competition,
        verbose_name=_("competition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_text = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("An address or a description of the place.")
    )
    image = models.ImageField(_("image"), upload_to="ideas/images/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_ideas",
    )
    hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Denormalised counters, kept by the services in the same transaction as the rows they
    # count: sorting 50,000 ideas by a COUNT over 500,000 supports on every page is too slow.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    # One submission token per form: a second POST of the same form finds the first idea.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    # German full-text vector (title weighted A, body B); filled on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["published", "in_review", "adopted", "merged", "declined"]),
                name="ideas_idea_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="merged", merged_into__isnull=False)
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
                name="ideas_idea_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="ideas_idea_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (
                    models.Q(latitude__gte=-90, latitude__lte=90)
                    & models.Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="ideas_idea_location_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""), name="ideas_idea_image_has_alt"
            ),
            models.UniqueConstraint(fields=["author", "submission_token"], name="ideas_idea_submission_once"),
            *_offline_constraints("ideas_idea"),
        ]
        indexes = [
            # Each sort's index holds its tie-breakers too: many ideas share a count, and a
            # partial index order makes PostgreSQL sort every tied row to find the first page.
            models.Index(fields=["hidden", "-created_at", "-id"], name="ideas_idea_new"),
            models.Index(
                fields=["hidden", "-support_count", "-created_at", "-id"], name="ideas_idea_supported"
            ),
            models.Index(
                fields=["hidden", "-comment_count", "-created_at", "-id"], name="ideas_idea_discussed"
            ),
            models.Index(fields=["theme", "hidden", "-created_at", "-id"], name="ideas_idea_theme_new"),
            models.Index(
                fields=["theme", "hidden", "-support_count", "-created_at", "-id"],
                name="ideas_idea_theme_supported",
            ),
            models.Index(fields=["latitude", "longitude"], name="ideas_idea_location"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"pk": self.pk, "slug": slugify(self.title)[:60] or "idee"})

    def clean(self) -> None:
        # A new idea joins a competition only while it accepts ideas on the idea's theme. The
        # form asks this (a ModelForm calls clean) and idea_submit asks again on publishing.
        if self._state.adding and self.competition_id is not None and self.theme_id is not None:
            try:
                self.competition.check_accepts(theme_id=self.theme_id, now=timezone.now())
            except ValidationError as error:
                raise ValidationError({"competition": error}) from None

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_open(self) -> bool:
        """Still collecting supports: not yet decided and not hidden."""
        return not self.hidden and self.status in (self.Status.PUBLISHED, self.Status.IN_REVIEW)

    @property
    def is_editable_by_author(self) -> bool:
        return not self.hidden and self.status == self.Status.PUBLISHED


# The one table of allowed status changes. Hiding is separate (a moderation flag, any status).
TRANSITIONS: dict[str, set[str]] = {
    Idea.Status.PUBLISHED: {
        Idea.Status.IN_REVIEW,
        Idea.Status.ADOPTED,
        Idea.Status.MERGED,
        Idea.Status.DECLINED,
    },
    Idea.Status.IN_REVIEW: {Idea.Status.ADOPTED, Idea.Status.MERGED, Idea.Status.DECLINED},
    # A second pilot may take up an idea that is already adopted: recorded as another change.
    Idea.Status.ADOPTED: {Idea.Status.ADOPTED},
    Idea.Status.MERGED: set(),
    # A declined idea can be looked at again.
    Idea.Status.DECLINED: {Idea.Status.IN_REVIEW},
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


class StatusChange(models.Model):
    """The public history of an idea's status: who changed it, when, and why."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Idea.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Idea.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The pilot that adopted the idea. The pilots app records it through `idea_adopt(...)`;
    # a URL and title (not a foreign key) keep `ideas` free of imports from a later stage.
    pilot_url = models.CharField(_("pilot address"), max_length=300, blank=True)
    pilot_title = models.CharField(_("pilot title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_status__in=["published", "in_review", "adopted", "merged", "declined"]),
                name="ideas_statuschange_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"


class IdeaRevision(models.Model):
    """Every version of an idea's text, from the first one on; visible to moderators."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("description"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.idea_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Support(models.Model):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="idea_supports",
    )
    # Indexed for counting by date (the dashboard counts the days since its nightly roll-up).
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="ideas_support_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="idea_follows",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="ideas_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


class Comment(ContributedOffline):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="idea_comments",
    )
    # One level of replies: a reply's parent is always a top-level comment (services ensure it).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(_("comment"))
    # `body` rendered from Markdown and sanitised once, when it is written (services): rendering
    # every comment on every view was most of an idea page's time.
    body_html = models.TextField(editable=False, default="")
    hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)  # counted by date
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="ideas_comment_not_own_parent"
            ),
            *_offline_constraints("ideas_comment"),
        ]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="ideas_comment_thread"),
            # A page of top-level comments, and the replies to that page.
            models.Index(
                fields=["idea", "created_at", "id"],
                name="ideas_comment_top",
                condition=models.Q(parent__isnull=True),
            ),
        ]

    # How long its author may still correct a comment.
    EDIT_WINDOW = timedelta(minutes=15)

    def __str__(self) -> str:
        return f"{self.author_id} on {self.idea_id}"

    def get_absolute_url(self) -> str:
        return f"{self.idea.get_absolute_url()}#comment-{self.pk}"

    def is_editable_at(self, moment: datetime) -> bool:
        return not self.hidden and moment - self.created_at <= self.EDIT_WINDOW


class Report(models.Model):
    """A citizen's report of an idea or a comment, for the moderation queue."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        OFFENSIVE = "offensive", _("offensive or illegal")
        OFF_TOPIC = "off_topic", _("off-topic")
        OTHER = "other", _("other")

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="idea_reports",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=["spam", "offensive", "off_topic", "other"]),
                name="ideas_report_reason_valid",
            ),
            # One report per person and contribution, decided by the database.
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="ideas_report_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=models.Q(comment__isnull=True),
                name="ideas_report_once_per_idea",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at"], name="ideas_report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.idea_id})"


class JuryScore(models.Model):
    """One juror's score of one idea on one criterion. Private until the results are published."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="jury_scores"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("juror"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    updated_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "idea", "juror"], name="ideas_juryscore_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="ideas_juryscore_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror_id}: {self.idea_id}/{self.criterion_id} = {self.score}"


class JuryReason(models.Model):
    """The jury's public reason for an idea's place, published with the ranking."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="jury_reasons"
    )
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("the jury's reason"))

    class Meta:
        verbose_name = _("jury reason")
        verbose_name_plural = _("jury reasons")
        constraints = [
            models.UniqueConstraint(fields=["competition", "idea"], name="ideas_juryreason_once"),
        ]

    def __str__(self) -> str:
        return f"{self.competition_id}: {self.idea_id}"
