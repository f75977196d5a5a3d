from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geraportal.accounts.personcache import person_fact
from geraportal.accounts.rules import is_smartcity_team
from geraportal.core.translated import pick

from .storage import document_storage

# Invitation and calendar tokens come from `secrets.token_urlsafe(32)`. Anything of another
# shape is refused before a lookup: a NUL byte, for one, makes PostgreSQL raise an error.
TOKEN_REGEX = "[A-Za-z0-9_-]{32,64}"
ROLES = "workgroup-roles"  # the person cache's topic: {group id: role}


class WorkingGroup(models.Model):
    """One of the five working groups; also the theme of the ideas it looks after."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_de = models.TextField(_("description (German)"))
    description_en = models.TextField(_("description (English)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workgroups:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def description(self) -> str:
        return pick(self, "description")


class MembershipQuerySet(models.QuerySet):
    def roles_of(self, user) -> dict[int, str]:
        """{group id: role} of `user`, fetched once per user object (and so once per request)
        and kept in the person cache between requests.

        Every permission about groups asks this, so a page full of objects costs one query and
        later pages none; `forget_roles` drops it after a membership changed within the
        request, `apps.forget_cached_roles` (on every membership write) for later requests.
        """
        if user is None or not user.is_authenticated:
            return {}
        cached = getattr(user, "_workgroup_roles", None)
        if cached is None:
            cached = person_fact(
                topic=ROLES,
                person_id=user.pk,
                compute=lambda: dict(self.filter(user=user).values_list("group_id", "role")),
            )
            user._workgroup_roles = cached
        return cached

    @staticmethod
    def forget_roles(user) -> None:
        if user is not None:
            user.__dict__.pop("_workgroup_roles", None)


class Membership(models.Model):
    """A person's place in a working group. Join requests and invitations are separate rows."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        MODERATOR = "moderator", _("moderator")

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="workgroup_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "-role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="workgroups_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "moderator"]), name="workgroups_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group} ({self.get_role_display()})"

    @property
    def is_moderator(self) -> bool:
        return self.role == self.Role.MODERATOR


class CalendarFeed(models.Model):
    """The personal address of a group's calendar feed, for someone who may see its private meetings.

    A calendar app sends no session cookie, so the address itself stands for the person: a
    random token, looked up on every fetch, that the person can replace at any time. What
    the feed shows is decided at each fetch from the person's current rights, so an address
    kept after leaving the group shows public meetings only.
    """

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="workgroups_calendarfeed_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"


class Visibility(models.TextChoices):
    MEMBERS = "members", _("members only")
    PUBLIC = "public", _("public to read")


VISIBILITY_VALUES = ["members", "public"]


class VisibleQuerySet(models.QuerySet):
    """Rows that `user` may know exist: public ones, plus everything of their own groups."""

    def visible_to(self, user):
        if is_smartcity_team(user):
            return self
        own_groups = set(Membership.objects.roles_of(user))
        return self.filter(models.Q(visibility=Visibility.PUBLIC) | models.Q(group_id__in=own_groups))

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)


class JoinRequest(models.Model):
    """Someone asks to join a group; a moderator accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS = {
        Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.ACCEPTED: set(),
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
    }

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_join_requests"
    )
    motivation = models.TextField(_("why would you like to join?"), max_length=2000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(status="pending"),
                name="workgroups_joinrequest_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "declined", "withdrawn"]),
                name="workgroups_joinrequest_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.group} ({self.status})"


class Invitation(models.Model):
    """An e-mailed link that makes its addressee a member, with or without an account yet.

    Whether it can still be used is derived from its dates: used once `accepted_at` is set,
    expired after `expires_at`.
    """

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workgroup_invitations_accepted",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("workgroups:invitation", kwargs={"token": self.token})

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None


class Thread(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=160)
    visibility = models.CharField(
        _("who may read it"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_threads"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)  # counted by date (dashboard)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = [models.F("pinned_at").desc(nulls_last=True), "-last_post_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=VISIBILITY_VALUES),
                name="workgroups_thread_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="workgroups_thread_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workgroups:thread_detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_posts"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField(_("text"), max_length=20000, help_text=_("You can use Markdown."))
    # The sanitised HTML of `body`, rendered when the post is written, not on every view.
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)  # counted by date (dashboard)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="workgroups_post_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.thread_id}"

    @property
    def is_public(self) -> bool:
        return self.thread.is_public


class ThreadRead(models.Model):
    """How far a member has read a thread: everything up to `last_read_post_id`."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_post_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="workgroups_threadread_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} up to {self.last_read_post_id}"


class ThreadReference(models.Model):
    """A thread points at an idea or a pilot project of another app.

    `kind` names an entry of `workgroups.references`, where those apps register how to
    recognise their URLs and how to show their objects; no generic foreign key.
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "kind", "object_id"], name="workgroups_reference_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="workgroups_reference_target")]

    def __str__(self) -> str:
        return f"{self.thread_id} → {self.kind}:{self.object_id}"


class Document(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    visibility = models.CharField(
        _("who may read it"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_documents"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=VISIBILITY_VALUES),
                name="workgroups_document_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workgroups:document_detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


def _document_storage():
    # A callable, so migrations name the function rather than the storage of one deployment.
    return document_storage


class DocumentVersion(models.Model):
    """One uploaded file of a document. Replacing a document adds a version; none is overwritten.

    The file lies under a random name in a private storage that has no public URL: it is
    only ever served by `views.document_download`, which checks who asks.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(storage=_document_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_document_versions"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="workgroups_documentversion_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="workgroups_documentversion_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse(
            "workgroups:document_download",
            kwargs={"slug": self.document.group.slug, "pk": self.document_id, "number": self.number},
        )


class Meeting(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=160)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, max_length=500, help_text=_("For a video conference, if any.")
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=10000, help_text=_("You can use Markdown."))
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        max_length=50000,
        help_text=_("Added after the meeting. You can use Markdown."),
    )
    visibility = models.CharField(
        _("who may see it"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=VISIBILITY_VALUES),
                name="workgroups_meeting_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workgroups_meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workgroups:meeting_detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    def is_past(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())


class RSVP(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        MAYBE = "maybe", _("maybe")
        NO = "no", _("no")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_rsvps"
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply to a meeting")
        verbose_name_plural = _("replies to meetings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="workgroups_rsvp_unique"),
            models.CheckConstraint(
                condition=models.Q(answer__in=["yes", "maybe", "no"]), name="workgroups_rsvp_answer_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}: {self.answer}"
