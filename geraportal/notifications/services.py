"""Recording notifications and delivering e-mails through the outbox."""

import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from geraportal.accounts.models import User

from .kinds import DEFAULT_FREQUENCY, Frequency, Kind
from .models import Notification, NotificationPreference, OutboxEmail
from .rendering import render_email

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def preferences_of(user) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY[kind]) for kind in Kind.values}


@transaction.atomic
def preferences_update(*, user, frequencies: dict[str, str]) -> None:
    for kind, frequency in frequencies.items():
        Kind(kind), Frequency(frequency)  # refuse unknown values loudly
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"frequency": frequency}
        )


def notify(
    *,
    kind: str,
    recipients: Iterable,
    event_key: str,
    template: str,
    context: dict[str, Any],
    url: str,
    actor=None,
) -> int:
    """Record that `recipients` should hear of an event; returns how many new notifications.

    Call it inside the transaction that records the event. Each person is notified once per
    `event_key`, never of their own action, and e-mailed as they chose: immediately (an outbox
    row now, sent after commit), in a digest, or not at all.
    """
    Kind(kind)
    ids = {person.pk for person in recipients if person is not None}
    if actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return 0
    # Fresh from the database: whoever deleted the account or was deactivated hears nothing.
    people = list(User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True))
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "frequency")
    )
    created_count = 0
    with transaction.atomic():
        for person in people:
            delivery = chosen.get(person.pk, DEFAULT_FREQUENCY[kind])
            notification, created = Notification.objects.get_or_create(
                recipient=person,
                event_key=event_key,
                defaults={
                    "kind": kind,
                    "template": template,
                    "context": context,
                    "url": url,
                    "actor": actor,
                    "delivery": delivery,
                },
            )
            if not created:
                continue
            created_count += 1
            if delivery == Frequency.IMMEDIATELY:
                rendered = render_email(
                    recipient=person, kind=kind, template=template, context=context, url=url
                )
                notification.email = email_enqueue(
                    key=f"notification:{notification.pk}",
                    to_email=person.email,
                    recipient=person,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    headers=rendered.headers,
                )
                notification.save(update_fields=["email"])
    return created_count


def email_enqueue(
    *, key: str, to_email: str, subject: str, text: str, html: str = "", headers=None, recipient=None
) -> OutboxEmail:
    """Write an outbox row (once per key) and have Celery send it after commit."""
    email, created = OutboxEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to_email": to_email,
            "recipient": recipient,
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "headers": headers or {},
        },
    )
    if created:
        transaction.on_commit(lambda: _dispatch(email.pk), robust=True)
    return email


def _dispatch(email_id: int) -> None:
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id)
    except Exception:  # broker down: the periodic sweep sends it later
        logger.warning("Could not queue e-mail %s; the outbox sweep will send it.", email_id, exc_info=True)


def backoff(attempt: int) -> timedelta:
    """Exponential back-off with jitter: about 1, 2, 4, 8 ... minutes (by default), at most an hour."""
    ceiling = min(60 * 60, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def stuck_after() -> timedelta:
    """A send that has not finished after this long was cut off (worker killed): try again."""
    return timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)


def outbox_send(*, email_id: int, connection=None, now: datetime | None = None) -> str:
    """Send one outbox e-mail if it is due; returns its status afterwards.

    The row is claimed (status `sending`) in its own transaction, so two workers never send
    the same row; the SMTP conversation happens outside any transaction.
    """
    now = now or timezone.now()
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboxEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return (
                OutboxEmail.objects.filter(pk=email_id).values_list("status", flat=True).first() or "missing"
            )
        if email.next_attempt_at and email.next_attempt_at > now:
            return email.status
        email.status = OutboxEmail.Status.SENDING
        email.attempts += 1
        email.next_attempt_at = now + stuck_after()
        email.save(update_fields=["status", "attempts", "next_attempt_at"])
    try:
        _deliver(email, connection=connection)
    except Exception as exc:
        failed = email.attempts >= MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=email.pk).update(
            status=OutboxEmail.Status.FAILED if failed else OutboxEmail.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=None if failed else now + backoff(email.attempts),
        )
        logger.warning("E-mail %s failed (attempt %s): %s", email.pk, email.attempts, exc)
        return OutboxEmail.Status.FAILED if failed else OutboxEmail.Status.PENDING
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return OutboxEmail.Status.SENT


def _deliver(email: OutboxEmail, *, connection=None) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        # A stable Message-ID lets mail systems drop a duplicate should a send be repeated
        # after a worker died between the SMTP server's "OK" and our bookkeeping.
        headers={**email.headers, "Message-ID": f"<outbox-{email.pk}@{_mail_domain()}>"},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send()


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"


def outbox_due_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending e-mails whose time has come, and sends cut off by a dying worker."""
    now = now or timezone.now()
    OutboxEmail.objects.filter(status=OutboxEmail.Status.SENDING, next_attempt_at__lte=now).update(
        status=OutboxEmail.Status.PENDING
    )
    due = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).exclude(next_attempt_at__gt=now)
    return list(due.order_by("created_at").values_list("pk", flat=True)[:limit])


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Send what is still unsent; one SMTP connection for the whole batch."""
    ids = outbox_due_ids(now=now)
    if not ids:
        return 0
    sent = 0
    with get_connection() as connection:
        for email_id in ids:
            sent += outbox_send(email_id=email_id, connection=connection, now=now) == OutboxEmail.Status.SENT
    return sent


@transaction.atomic
def notification_open(*, notification: Notification) -> str:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification.url


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
