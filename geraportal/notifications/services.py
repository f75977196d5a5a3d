"""Recording notifications and delivering e-mails through the outbox."""

import contextvars
import logging
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.accounts.personcache import person_fact_forget

from . import audiences, kinds, listeners
from .kinds import Frequency
from .models import Notification, NotificationEvent, NotificationPreference, OutboxEmail
from .rendering import render_email
from .selectors import UNREAD

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


FAN_OUT_BATCH = 500


def preferences_of(user: User) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {k.value: chosen.get(k.value, k.default_frequency) for k in kinds.registered()}


@transaction.atomic
def preferences_update(*, user: User, frequencies: dict[str, str]) -> None:
    for kind, frequency in frequencies.items():
        kinds.validate(kind), Frequency(frequency)  # refuse unknown values loudly
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"frequency": frequency}
        )


_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Record no events inside this block: replaying history (the demo seed) is news to nobody."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notify(
    *,
    kind: str,
    event_key: str,
    template: str,
    context: dict[str, Any],
    url: str,
    actor: User | None = None,
    recipients: Iterable[User | None] = (),
    audience: str | None = None,
    audience_args: dict[str, Any] | None = None,
    exclude: Iterable[int] = (),
) -> NotificationEvent | None:
    """Record that people should hear of an event; the fan-out happens after commit.

    Call it inside the transaction that records the event: it writes one `NotificationEvent`
    (the few named `recipients` and/or an `audience` registered in `audiences.py` with its
    JSON `audience_args`) and queues the fan-out task on commit. Nothing is rendered and no
    notification is written here, so a comment with a thousand followers costs the request
    what a comment with one does. Each person is notified once per `event_key`, never of
    their own action, and e-mailed as they chose. `exclude` takes ids of people who hear of
    the same event in another wording (e.g. the author, while the audience are followers).

    An event with nobody to tell is recorded only if a listener (`listeners.py`, e.g. the
    webhooks) wants its key: an idea published tells no person, but the city's other systems.
    """
    kinds.validate(kind)
    if audience is not None and not audiences.is_registered(audience):
        raise ValueError(f"Unknown audience {audience!r}.")
    if _muted.get():
        return None
    ids = sorted({person.pk for person in recipients if person is not None})
    if actor is not None and actor.pk in ids:
        ids.remove(actor.pk)
    if not ids and audience is None and not listeners.wanted(event_key):
        return None
    event = NotificationEvent.objects.create(
        kind=kind,
        event_key=event_key,
        template=template,
        context=context,
        url=url,
        actor=actor,
        recipient_ids=ids,
        audience=audience or "",
        audience_args=audience_args or {},
        excluded_ids=sorted(set(exclude)),
    )
    transaction.on_commit(lambda: _queue_fan_out(event.pk), robust=True)
    return event


def _queue_fan_out(event_id: int) -> None:
    from .tasks import fan_out_event

    try:
        fan_out_event.delay(event_id)
    except Exception:  # broker down: the event sweep finds it within a minute
        logger.warning("Could not queue event %s; the event sweep will fan it out.", event_id, exc_info=True)


def _audience_ids(event: NotificationEvent) -> list[int]:
    ids = set(event.recipient_ids)
    if event.audience:
        ids.update(audiences.resolve(event.audience, event.audience_args))
    ids.difference_update(event.excluded_ids)
    ids.discard(event.actor_id)
    return sorted(ids)


def event_fan_out(*, event_id: int) -> int:
    """Notify everyone an event concerns, in batches; returns how many new notifications.

    Idempotent per (event, person): notifications are unique per (recipient, event_key) and
    written with `ignore_conflicts`, outbox rows are unique per notification, so running this
    twice (a redelivered task, the sweep racing the task) sends nothing twice.
    """
    event = NotificationEvent.objects.filter(pk=event_id).first()
    if event is None or event.fanned_out_at is not None:
        return 0
    kind_default = kinds.default_frequency(event.kind)
    ids = _audience_ids(event)
    created = 0
    for start in range(0, len(ids), FAN_OUT_BATCH):
        created += _fan_out_batch(event, ids[start : start + FAN_OUT_BATCH], kind_default)
    for listener in listeners.for_key(event.event_key):
        with transaction.atomic():
            listener(event)
    NotificationEvent.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    return created


@transaction.atomic
def _fan_out_batch(event: NotificationEvent, ids: list[int], kind_default: str) -> int:
    # Fresh from the database: whoever deleted the account or was deactivated hears nothing.
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True)
    }
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=people, kind=event.kind).values_list(
            "user_id", "frequency"
        )
    )
    before = Notification.objects.filter(event_key=event.event_key, recipient_id__in=people).count()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=event.kind,
                event_key=event.event_key,
                template=event.template,
                context=event.context,
                url=event.url,
                actor_id=event.actor_id,
                delivery=chosen.get(pk, kind_default),
            )
            for pk in people
        ],
        ignore_conflicts=True,
    )
    person_fact_forget(topic=UNREAD, person_ids=people)
    created = Notification.objects.filter(event_key=event.event_key, recipient_id__in=people).count() - before
    # The immediate ones without an e-mail yet: new ones, and any a cut-off run left behind.
    unsent = Notification.objects.filter(
        event_key=event.event_key,
        recipient_id__in=people,
        kind=event.kind,
        delivery=Frequency.IMMEDIATELY,
        email__isnull=True,
    )
    for notification in unsent:
        person = people[notification.recipient_id]
        rendered = render_email(
            recipient=person, kind=event.kind, template=event.template, context=event.context, url=event.url
        )
        email = email_enqueue(
            key=f"notification:{notification.pk}",
            to_email=person.email,
            recipient=person,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            headers=rendered.headers,
        )
        Notification.objects.filter(pk=notification.pk).update(email=email)
    return created


def events_unfanned_ids(*, older_than: timedelta = timedelta(minutes=1), limit: int = 200) -> list[int]:
    """Events whose fan-out task was lost (broker down, worker killed); young ones are left to their task."""
    cutoff = timezone.now() - older_than
    return list(
        NotificationEvent.objects.unfanned()
        .filter(created_at__lte=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


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
        person_fact_forget(topic=UNREAD, person_ids=[notification.recipient_id])
    return notification.url


def notifications_mark_all_read(*, user: User) -> int:
    marked = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    person_fact_forget(topic=UNREAD, person_ids=[user.pk])
    return marked
