"""Daily and weekly digests: every pending notification goes into exactly one e-mail."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .kinds import Frequency
from .models import Notification, OutboxEmail
from .rendering import absolute_url, notification_title, one_line, unsubscribe_headers
from .services import email_enqueue


def digest_build(*, user, frequency: str, now: datetime | None = None) -> OutboxEmail | None:
    """Bundle the user's pending notifications of this frequency into one outbox e-mail.

    Grouped by the thing they are about (their link), newest first. The notifications are
    locked and linked to the e-mail in one transaction, so none lands in two digests, and a
    digest that fails to send is retried by the outbox without being built again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient=user, delivery=frequency, email__isnull=True, created_at__lte=now)
            .select_related("recipient", "actor")
            .order_by("-created_at", "-pk")
        )
        if not pending:
            return None
        with translation.override(user.language or settings.LANGUAGE_CODE):
            groups: dict[str, dict] = {}
            for notification in pending:
                # One group per thing (an idea, a thread): its comments' addresses differ only
                # in the #fragment. Headed by the newest title; each entry says who and what.
                thing = absolute_url(notification.url.split("#", 1)[0])
                title = notification_title(notification)
                group = groups.setdefault(thing, {"url": thing, "heading": title, "items": []})
                group["items"].append(_entry(notification, title))
            unsubscribe_url, headers = unsubscribe_headers(user_id=user.pk, kind="digest")
            context = {
                "recipient": user,
                "frequency": frequency,
                "groups": list(groups.values()),
                "count": len(pending),
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe_url,
                "notifications_url": absolute_url(reverse("notifications:list")),
            }
            subject = one_line(render_to_string("notifications/email/digest_subject.txt", context))
            text = render_to_string("notifications/email/digest.txt", context)
            html = render_to_string("notifications/email/digest.html", context)
        email = email_enqueue(
            key=f"digest:{frequency}:{user.pk}:{pending[0].pk}",
            to_email=user.email,
            recipient=user,
            subject=subject,
            text=text,
            html=html,
            headers=headers,
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email=email)
    return email


EXCERPT_LENGTH = 140


def _entry(notification: Notification, title: str) -> str:
    """ "Bernd Beispiel: Gute Idee, auch im …" where the event has an author and a text; else its title."""
    who = notification.context.get("author_name") or (
        notification.actor.public_name if notification.actor_id and notification.actor else ""
    )
    excerpt = one_line(str(notification.context.get("excerpt", "")))
    if not excerpt:
        return title
    if len(excerpt) > EXCERPT_LENGTH:
        excerpt = excerpt[: EXCERPT_LENGTH - 1].rstrip() + "…"
    return f"{who}: {excerpt}" if who else excerpt


def digests_send(*, frequency: str, now: datetime | None = None) -> int:
    """Build the digests of everyone who has something pending; returns how many."""
    Frequency(frequency)
    from geraportal.accounts.models import User

    now = now or timezone.now()
    recipient_ids = (
        Notification.objects.filter(delivery=frequency, email__isnull=True, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    built = 0
    for user in User.objects.filter(pk__in=list(recipient_ids), is_active=True).iterator():
        built += digest_build(user=user, frequency=frequency, now=now) is not None
    return built
