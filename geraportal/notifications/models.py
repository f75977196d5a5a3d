from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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

    Rows are written by the fan-out task after the event's commit (`services.event_fan_out`). The e-mail goes
    either straight into the outbox (`email`) or later into a digest (`email` set then), so an
    event reaches at most one e-mail.
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
    """An e-mail waiting to be sent, written in the transaction of the event that causes it.

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


# --- Newsletter -----------------------------------------------------------------------


class NewsletterSubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=NewsletterSubscriber.Status.CONFIRMED)


class NewsletterSubscriber(models.Model):
    """An e-mail address on the newsletter list; no account needed.

    Double opt-in: `pending` until the owner of the address follows the confirmation link.
    Each step is also written to `NewsletterSubscriptionEvent` with its time (and nothing
    else: no IP address, no browser), which is the record of consent the law asks for.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("address bounced")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(_("language"), max_length=8, default="de")
    requested_at = models.DateTimeField(_("subscription requested"))
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=500, blank=True)

    objects = NewsletterSubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "unsubscribed", "bounced"]),
                name="newsletter_subscriber_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="newsletter_confirmed_has_time",
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="newsletter_email_lowercase"),
        ]
        indexes = [models.Index(fields=["status", "id"], name="newsletter_status_id_idx")]

    def __str__(self) -> str:
        return self.email


class NewsletterSubscriptionEvent(models.Model):
    """One step of a subscription, with its time: requested, confirmed, unsubscribed, bounced."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("subscription requested")
        CONFIRMED = "confirmed", _("subscription confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("address bounced")

    subscriber = models.ForeignKey(NewsletterSubscriber, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("newsletter subscription step")
        verbose_name_plural = _("newsletter subscription steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["requested", "confirmed", "unsubscribed", "bounced"]),
                name="newsletter_event_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class NewsletterIssue(models.Model):
    """One newsletter: free text and/or news posts, sent once to all confirmed subscribers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")

    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("text"), blank=True, max_length=20000, help_text=_("You can use Markdown."))
    news_posts = models.ManyToManyField(
        "pages.NewsPost", blank=True, related_name="+", verbose_name=_("news posts")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    send_finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    # Subscribers with an id up to this one, confirmed when sending started, get this issue.
    last_subscriber_id = models.BigIntegerField(null=True, blank=True)
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0)
    # The final record, kept even when subscribers later delete their data.
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    bounced_count = models.PositiveIntegerField(_("bounced"), default=0)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sending", "sent"]), name="newsletter_issue_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(send_started_at__isnull=False),
                name="newsletter_issue_sending_has_start",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


# Which status may follow which; one service per arrow (see newsletter.py).
NEWSLETTER_ISSUE_TRANSITIONS = {
    NewsletterIssue.Status.DRAFT: {NewsletterIssue.Status.SENDING},
    NewsletterIssue.Status.SENDING: {NewsletterIssue.Status.SENT},
    NewsletterIssue.Status.SENT: set(),
}


class NewsletterBatch(models.Model):
    """A slice of the recipients (by subscriber id) sent by one Celery task over one SMTP connection."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="batches")
    first_subscriber_id = models.BigIntegerField()
    last_subscriber_id = models.BigIntegerField()
    size = models.PositiveIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issue", "first_subscriber_id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "first_subscriber_id"], name="newsletter_batch_once"),
            models.CheckConstraint(
                condition=Q(last_subscriber_id__gte=models.F("first_subscriber_id")),
                name="newsletter_batch_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.first_subscriber_id}–{self.last_subscriber_id}"


class NewsletterDelivery(models.Model):
    """One issue to one subscriber: the link between the outbox row and the subscriber."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        NewsletterSubscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.OneToOneField(
        OutboxEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="newsletter_delivery"
    )
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}"
