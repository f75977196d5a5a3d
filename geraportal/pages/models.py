from calendar import monthrange

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NewsPostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Posts whose publication time has come: drafts (no date) and scheduled posts are not public."""
        return self.filter(published_at__lte=now or timezone.now())

    def visible_to(self, user, now=None):
        from geraportal.accounts.rules import is_smartcity_team

        return self.all() if is_smartcity_team(user) else self.published(now)


class NewsPost(models.Model):
    """A news post by the SMARTCity team.

    Whether a post is public is derived from `published_at` alone: empty means draft, a future
    time means scheduled, so a scheduled post appears by itself when its time comes.
    """

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    teaser = models.CharField(
        _("teaser"), max_length=300, help_text=_("One or two sentences for lists and feeds.")
    )
    body = models.TextField(_("text"), max_length=30000, help_text=_("You can use Markdown."))
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=200,
        blank=True,
        help_text=_("Describe what the image shows, for people who cannot see it."),
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: draft. A time in the future: the post appears by itself at that time."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="pages_newspost_image_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def image_url(self) -> str:
        """Where the image is served: a view that checks the post (uploads have no URL of their own)."""
        return reverse("news:image", kwargs={"slug": self.slug}) if self.image else ""

    def is_published(self, now=None) -> bool:
        return self.published_at is not None and self.published_at <= (now or timezone.now())

    @property
    def state(self) -> str:
        if self.published_at is None:
            return "draft"
        return "published" if self.is_published() else "scheduled"


class Event(models.Model):
    """A workshop or other event the SMARTCity team puts into the public calendar."""

    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(
        _("description"), blank=True, max_length=10000, help_text=_("You can use Markdown.")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, help_text=_("For an online event, if any.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="pages_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""), name="pages_event_has_place"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:workshop", kwargs={"pk": self.pk})


class AccessibilityFeedback(models.Model):
    """A message from the accessibility statement's feedback form (a barrier, or a request for
    a content in an accessible form). Name and e-mail are optional: an anonymous hint counts too;
    the SMARTCity team answers within a month where it has an address."""

    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.name or '–'}"

    @property
    def answer_due(self):
        """The answer is due one month after the message arrived (EU 2018/1523, BITV 2.0)."""
        received = timezone.localtime(self.created_at).date()
        year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
        return received.replace(year=year, month=month, day=min(received.day, monthrange(year, month)[1]))
