from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import Frequency


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()


class NotificationEventQuerySet(models.QuerySet):
    def unfanned(self):
        return self.filter(fanned_out_at__isnull=True)


class NotificationEvent(models.Model):
    """Something happened that people should hear of, recorded in the transaction that caused it.

    The request writes only this row (`services.notify`); a task after commit works out who
    hears of it — the named `recipient_ids` and/or the registered `audience` resolved with
    `audience_args` — and writes their notifications in batches. `fanned_out_at` marks it
    done; the sweep picks up events whose task was lost.
    """

    kind = models.CharField(_("kind"), max_length=20)
    event_key = models.CharField(_("event"), max_length=200)
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_ids = models.JSONField(default=list, blank=True)
    audience = models.CharField(max_length=100, blank=True)
    audience_args = models.JSONField(default=dict, blank=True)
    # People the audience must leave out: they hear of the same event in another wording.
    excluded_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification event")
        verbose_name_plural = _("notification events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["fanned_out_at", "created_at"], name="notification_event_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.event_key}"


class Notification(models.Model):
    """One event for one person: shown under the bell, and e-mailed as they chose.

    Rows are written by the fan-out task after the event's commit (`services.event_fan_out`).
    The e-mail goes either straight into the outbox (`email`) or later into a digest (`email`
    set then), so an event reaches at most one e-mail.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A registered kind (kinds.py); no choices here, so an app adding a kind needs no migration.
    kind = models.CharField(_("kind"), max_length=20)
    event_key = models.CharField(_("event"), max_length=200)
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500)
    delivery = models.CharField(max_length=20, choices=Frequency.choices)
    email = models.ForeignKey(
        "OutboxEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
            models.CheckConstraint(
                condition=Q(delivery__in=Frequency.values), name="notification_delivery_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["delivery", "email"], name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.event_key}"


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20)
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="preference_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.frequency}"


class OutboxEmail(models.Model):
    """An e-mail waiting to be sent, written in the same transaction as what it is about
    (a notification's fan-out batch, a digest, an invitation, a newsletter batch).

    `idempotency_key` is unique: one event, one e-mail per recipient, ever. A Celery task sends
    it after commit; a periodic sweep sends whatever is still pending (broker or SMTP down).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    idempotency_key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_email = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"
