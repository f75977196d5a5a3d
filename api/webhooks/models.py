import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Failure(models.TextChoices):
    """Why a delivery failed; the technical detail is stored beside it."""

    REFUSED_ADDRESS = "refused_address", _("The address is not allowed (internal or private network)")
    NAME = "name", _("The host name could not be resolved")
    CONNECT = "connect", _("No connection to the receiver")
    TLS = "tls", _("TLS/certificate error")
    TIMEOUT = "timeout", _("The receiver did not answer in time")
    REDIRECT = "redirect", _("The receiver redirected (redirects are not followed)")
    STATUS = "status", _("The receiver answered with an error")


class Endpoint(models.Model):
    """A receiver of another system: where to POST which events, and how it has fared.

    The signing secret is kept as is (HMAC needs it) and shown only when it is made.
    `failing_since` is the first failure after the last success; an endpoint failing for
    `WEBHOOK_DISABLE_AFTER_DAYS` is disabled (`disabled_at`) and the team is told.
    """

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True, editable=False)
    last_failure = models.CharField(max_length=20, choices=Failure.choices, blank=True, editable=False)
    last_failure_detail = models.CharField(max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disabled_at__isnull=True) | Q(is_active=False),
                name="webhook_disabled_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.url

    def get_absolute_url(self) -> str:
        return reverse("staff:webhook_detail", args=[self.pk])

    @property
    def disabled_automatically(self) -> bool:
        return self.disabled_at is not None


class Delivery(models.Model):
    """One event for one endpoint: the body is fixed when the event is recorded.

    Unique per (endpoint, event_key), so an event reaches each endpoint once however often
    the fan-out runs. Sending claims the row (`pending → sending`, skip_locked), posts
    outside any transaction and marks it `delivered`, or back to `pending` with back-off,
    or `failed` after `WEBHOOK_MAX_ATTEMPTS`. A send cut off by a dying worker stays
    `sending` until the sweep finds it stuck and tries again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        # What the event was about is no longer public (hidden, unpublished) by the time of a
        # (re)try: nothing is sent.
        WITHDRAWN = "withdrawn", _("withdrawn: no longer public")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40)
    event_key = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    failure = models.CharField(max_length=20, choices=Failure.choices, blank=True)
    failure_detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_key"], name="webhook_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "delivered", "failed", "withdrawn"]),
                name="webhook_delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
