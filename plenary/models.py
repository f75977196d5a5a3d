"""Plenary meetings and polls on pilot proposals.

Integrity first: one eligible person, one ballot, enforced by the database; for secret polls
the ballots carry nothing that could be joined to the voter roll.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geraportal.accounts.rules import is_smartcity_team


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: no registration online.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plenary meeting")
        verbose_name_plural = _("plenary meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("starts_at")),
                name="meeting_registration_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plenary:meeting", kwargs={"slug": self.slug})


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    pilot = models.ForeignKey(
        "pilots.Pilot",
        verbose_name=_("pilot proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plenary_agenda_items",
        limit_choices_to=~Q(status="draft"),  # a group's draft is not for the public agenda
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plenary_attendances"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendee_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.user_id}"


class PollQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts are for the SMARTCity team only."""
        return self if is_smartcity_team(user) else self.exclude(status=Poll.Status.DRAFT)


class Poll(models.Model):
    class Method(models.TextChoices):
        YES_NO = "yes_no", _("yes / no / abstain per proposal")
        APPROVAL = "approval", _("approval: tick up to a set number of proposals")
        POINTS = "points", _("points: distribute a budget")

    class Eligibility(models.TextChoices):
        ATTENDEES = "attendees", _("registered attendees of the meeting")
        WORKGROUPS = "workgroups", _("members of the chosen working groups")
        CITIZENS = "citizens", _("every verified citizen")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        PUBLISHED = "published", _("published")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    max_choices = models.PositiveSmallIntegerField(
        _("k (approval)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many proposals one may tick."),
    )
    points_budget = models.PositiveSmallIntegerField(
        _("points per voter"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    points_cap = models.PositiveSmallIntegerField(
        _("points per proposal at most"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    quorum = models.PositiveIntegerField(
        _("quorum (yes/no)"), null=True, blank=True, help_text=_("Minimum number of ballots for a decision.")
    )
    eligibility = models.CharField(_("who may vote"), max_length=12, choices=Eligibility.choices)
    eligible_groups = models.ManyToManyField(
        "workgroups.WorkingGroup", verbose_name=_("working groups"), blank=True, related_name="plenary_polls"
    )
    secret = models.BooleanField(_("secret"), default=True)
    selection_size = models.PositiveSmallIntegerField(
        _("places to fill"),
        default=14,
        help_text=_("Ties across this rank are flagged for the strategy group."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    eligible_count = models.PositiveIntegerField(default=0, editable=False)
    ballot_hash = models.CharField(_("hash of the ballots"), max_length=64, blank=True, editable=False)
    # Secret polls: the public half of the key pair derived from the officers' passphrase,
    # with what is needed to derive it again when counting. The private key is never stored.
    public_key = models.CharField(max_length=64, blank=True, editable=False)
    key_salt = models.CharField(max_length=32, blank=True, editable=False)
    key_opslimit = models.PositiveIntegerField(null=True, blank=True, editable=False)
    key_memlimit = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # After counting: the SHA-256 of every sealed ballot counted, sorted (the ciphertexts are gone).
    sealed_digests = models.JSONField(default=list, blank=True, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["yes_no", "approval", "points"]), name="poll_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed", "published"]), name="poll_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(eligibility__in=["attendees", "workgroups", "citizens"]),
                name="poll_eligibility_valid",
            ),
            models.CheckConstraint(
                condition=~Q(method="approval") | Q(max_choices__gte=1), name="poll_approval_has_k"
            ),
            models.CheckConstraint(
                condition=~Q(method="points") | Q(points_budget__gte=1, points_cap__gte=1),
                name="poll_points_have_budget_and_cap",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="poll_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(eligibility="attendees") | Q(meeting__isnull=False),
                name="poll_attendees_need_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plenary:poll", kwargs={"pk": self.pk})

    @property
    def sealed(self) -> bool:
        """Ballots are sealed to the officers' key (secret polls opened since sealing began)."""
        return self.secret and bool(self.public_key)

    @property
    def awaits_count(self) -> bool:
        """A closed sealed poll whose ballots the officers have not counted yet."""
        return self.sealed and self.status == self.Status.CLOSED and self.counted_at is None


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    pilot = models.ForeignKey(
        "pilots.Pilot",
        verbose_name=_("pilot proposal"),
        on_delete=models.PROTECT,
        related_name="poll_options",
        limit_choices_to=~Q(status="draft"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The proposal's title as it stood when the poll opened: what voters saw is what the
    # result and the recount export show, whatever happens to the pilot's title later.
    label = models.CharField(_("label on the ballot"), max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "pilot"], name="poll_option_once")]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.pilot_id}"

    @property
    def title(self) -> str:
        return self.label or self.pilot.title


class EligibleVoter(models.Model):
    """Who may vote, frozen when the poll opens (nothing changes it afterwards)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="eligible_voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="eligible_once")]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.user_id}"


class VoterRoll(models.Model):
    """That someone voted — never what. The unique constraint is the one-ballot rule."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="voter_roll")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(auto_now_add=True, db_index=True)  # counted by date (dashboard)
    submission_key = models.CharField(max_length=64)
    receipt = models.CharField(max_length=32)
    # Secret polls: the SHA-256 of the voter's sealed ballot, which the published list holds.
    ballot_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="one_ballot_per_voter")]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.user_id}"


class SealedBallot(models.Model):
    """A secret poll's ballot as cast: a sealed box only the officers' passphrase opens.

    Written with the voter-roll row; deleted when the poll is counted (their hashes stay on
    the poll), so nothing remains that a plaintext ballot could be joined to.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="sealed_ballots")
    digest = models.CharField(max_length=64, unique=True)
    ciphertext = models.BinaryField()

    def __str__(self) -> str:
        return self.digest


class Ballot(models.Model):
    """What was voted. A random key, no timestamp; the voter only for named polls. A secret
    poll's ballots are written only when it is counted, all at once in random order.

    The poll's limits are copied onto the row (a poll's configuration is frozen once open)
    so the database itself refuses a ballot over the budget or with too many ticks.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Named polls only.",
    )
    total_points = models.PositiveIntegerField(default=0)
    ticks = models.PositiveSmallIntegerField(default=0)
    limit_points = models.PositiveIntegerField(null=True, blank=True)
    limit_ticks = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(limit_points__isnull=True) | Q(total_points__lte=F("limit_points")),
                name="ballot_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(limit_ticks__isnull=True) | Q(ticks__lte=F("limit_ticks")), name="ballot_within_k"
            ),
            models.UniqueConstraint(fields=["poll", "voter"], name="named_ballot_once"),
        ]

    def __str__(self) -> str:
        return str(self.id)


class BallotChoice(models.Model):
    """One value on a ballot. yes/no/abstain: 1 = yes, 2 = no, 3 = abstain; approval: 1;
    points: the points (within the per-proposal cap copied from the poll)."""

    YES, NO, ABSTAIN = 1, 2, 3

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="choices")
    option = models.ForeignKey(PollOption, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    limit_value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=F("limit_value")), name="choice_in_range"
            ),
            models.UniqueConstraint(fields=["ballot", "option"], name="choice_once_per_option"),
        ]

    def __str__(self) -> str:
        return f"{self.option_id}: {self.value}"


class AuditEntry(models.Model):
    """Every state change of meetings and polls: who and when. Never a person's vote."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    poll = models.ForeignKey(
        Poll, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
