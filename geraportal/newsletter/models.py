"""The newsletter: subscribers with double opt-in, issues and their batched sending.

The tables were created by the notifications app and moved here without copying rows
(migration 0001 is state-only); they keep their `notifications_` table names.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from geraportal.notifications.models import OutboxEmail


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
        db_table = "notifications_newslettersubscriber"
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
        db_table = "notifications_newslettersubscriptionevent"
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
        db_table = "notifications_newsletterissue"
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


# Which status may follow which; one service per arrow (see services.py).
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
    # Moved on while the batch sends: a batch whose task died stops moving, and the resume
    # job re-queues it after NEWSLETTER_RESUME_AFTER_SECONDS of silence.
    alive_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "notifications_newsletterbatch"
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
        db_table = "notifications_newsletterdelivery"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}"
