"""Webhook endpoints (staff) and deliveries (the worker), in the e-mail outbox's pattern."""

import logging
import random
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.core.audit import snapshot, staff_action_record, staff_change_record
from geraportal.notifications.services import notify

from . import addresses, events, signatures, transport
from .models import Delivery, Endpoint, Failure
from .notifications import WEBHOOKS

logger = logging.getLogger(__name__)

FIELDS = ("url", "description", "events", "is_active")


# --- Endpoints (staff) --------------------------------------------------------------------


@transaction.atomic
def endpoint_create(*, endpoint: Endpoint, by: User) -> Endpoint:
    """Save a new endpoint with a fresh secret; the caller shows the secret once."""
    endpoint.secret = signatures.new_secret()
    endpoint.created_by = by
    endpoint.full_clean()
    endpoint.save()
    staff_action_record(
        actor=by,
        action="webhook_created",
        target=endpoint,
        summary=endpoint.url,
        after=snapshot(endpoint, FIELDS),
    )
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, by: User) -> Endpoint:
    """Save the staff-editable fields. Switching it on again clears the failure record."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = snapshot(locked, FIELDS)
    for name in FIELDS:
        setattr(locked, name, getattr(endpoint, name))
    if locked.is_active and not before["is_active"]:
        _reactivate(locked)
    elif not locked.is_active:
        locked.disabled_at = None  # switched off by a person, not disabled by the portal
    locked.full_clean()
    locked.save()
    staff_change_record(
        actor=by, action="webhook_changed", target=locked, summary=locked.url,
        before=before, after=snapshot(locked, FIELDS),
    )  # fmt: skip
    return locked


def _reactivate(endpoint: Endpoint) -> None:
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.failing_since = None
    # What waited while it was off goes out now, not after the back-off it had reached.
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
        next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: _queue_due(endpoint.pk), robust=True)


@transaction.atomic
def endpoint_enable(*, endpoint: Endpoint, by: User) -> Endpoint:
    """Switch a (disabled) endpoint on again; it starts with a clean failure record."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = snapshot(locked, ("is_active", "disabled_at", "failing_since"))
    _reactivate(locked)
    locked.save(update_fields=["is_active", "disabled_at", "failing_since"])
    staff_change_record(
        actor=by, action="webhook_enabled", target=locked, summary=locked.url,
        before=before, after=snapshot(locked, ("is_active", "disabled_at", "failing_since")),
    )  # fmt: skip
    return locked


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, by: User) -> str:
    """A new secret, valid at once for every later attempt; returned to be shown once."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.secret = signatures.new_secret()
    locked.save(update_fields=["secret"])
    # The secret itself never goes into the log.
    staff_action_record(actor=by, action="webhook_secret_rotated", target=locked, summary=locked.url)
    return locked.secret


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, by: User) -> None:
    staff_action_record(
        actor=by, action="webhook_deleted", target=endpoint, summary=endpoint.url,
        before=snapshot(endpoint, FIELDS),
    )  # fmt: skip
    endpoint.delete()


@transaction.atomic
def endpoint_send_test(*, endpoint: Endpoint, by: User) -> Delivery:
    """A `ping` delivery to this endpoint only, sent like any other (also when it is off)."""
    key = f"webhooks.ping:{uuid.uuid4().hex}"
    body = events.payload(
        event=events.PING,
        event_id=key,
        occurred_at=timezone.now(),
        url=reverse("staff:webhook_detail", args=[endpoint.pk]),
        data={"endpoint": endpoint.pk, "message": "Test event from the SMARTCity Gera portal"},
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event=events.PING, event_key=key, body=body)
    staff_action_record(actor=by, action="webhook_test_sent", target=endpoint, summary=endpoint.url)
    transaction.on_commit(lambda: _dispatch(delivery.pk), robust=True)
    return delivery


# --- Deliveries (the worker) --------------------------------------------------------------


def subscribed_endpoints(event: str) -> list[Endpoint]:
    # Few rows, and JSON containment is not portable to SQLite: filtered here.
    return [e for e in Endpoint.objects.filter(is_active=True) if event in e.events]


@transaction.atomic
def deliveries_create(*, event: str, event_key: str, body: str) -> int:
    """One delivery per active endpoint that wants `event`; returns how many are new.

    Unique per (endpoint, event_key): a second run (task redelivered, sweep racing the task,
    a second `notify()` of the same key) adds nothing and sends nothing twice.
    """
    created = 0
    for endpoint in subscribed_endpoints(event):
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    endpoint=endpoint, event=event, event_key=event_key, body=body
                )
        except IntegrityError:
            continue
        created += 1
        transaction.on_commit(partial(_dispatch, delivery.pk), robust=True)
    return created


def _dispatch(delivery_id: int) -> None:
    from .tasks import send_webhook

    try:
        send_webhook.delay(delivery_id)
    except Exception:  # broker down: the sweep sends it within a minute
        logger.warning(
            "Could not queue webhook delivery %s; the sweep will send it.", delivery_id, exc_info=True
        )


def _queue_due(endpoint_id: int) -> None:
    for pk in Delivery.objects.filter(endpoint_id=endpoint_id, status=Delivery.Status.PENDING).values_list(
        "pk", flat=True
    ):
        _dispatch(pk)


def backoff(attempt: int) -> timedelta:
    """About 1, 2, 4, 8 ... minutes (by default) with jitter, at most an hour."""
    ceiling = min(60 * 60, settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def stuck_after() -> timedelta:
    """A send not finished after this long was cut off (worker killed): try it again."""
    return timedelta(seconds=max(60.0, 4 * settings.WEBHOOK_TIMEOUT_SECONDS))


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one delivery if it is due and its endpoint active; returns its status afterwards.

    Claimed in its own short transaction (`pending → sending`, skip_locked), posted outside
    any transaction, then marked. A test delivery (`ping`) goes out also to an inactive endpoint.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return (
                Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or "missing"
            )
        endpoint = delivery.endpoint
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return delivery.status
        if not endpoint.is_active and delivery.event != events.PING:
            return delivery.status  # waits until someone switches the endpoint on again
        if delivery.event != events.PING and events.build(delivery.event_key, delivery.created_at) is None:
            # Hidden or unpublished since the event: the body (fixed when it happened, so every
            # attempt sends the same) must not go out any more.
            delivery.status = Delivery.Status.WITHDRAWN
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return delivery.status
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + stuck_after()
        delivery.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    try:
        status = _post(delivery, endpoint)
    except transport.DeliveryFailed as failed:
        return _failed(delivery, endpoint, failed, now=now)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED,
        delivered_at=timezone.now(),
        next_attempt_at=None,
        response_status=status,
        failure="",
        failure_detail="",
    )
    Endpoint.objects.filter(pk=endpoint.pk).update(last_success_at=timezone.now(), failing_since=None)
    return Delivery.Status.DELIVERED


def _post(delivery: Delivery, endpoint: Endpoint) -> int:
    try:
        target = addresses.resolve(endpoint.url)
    except addresses.AddressRefused as error:
        raise transport.DeliveryFailed(Failure.REFUSED_ADDRESS, str(error)) from None
    except addresses.NameNotResolved as error:
        raise transport.DeliveryFailed(Failure.NAME, str(error)) from None
    body = delivery.body.encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "geraportal-webhooks/1",
        "X-Geraportal-Event": delivery.event,
        "X-Geraportal-Delivery": str(delivery.uuid),
        "X-Geraportal-Timestamp": str(timestamp),
        "X-Geraportal-Signature": signatures.sign(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    answer = transport.post(target, body=body, headers=headers)
    if 200 <= answer.status < 300:
        return answer.status
    if 300 <= answer.status < 400:
        raise transport.DeliveryFailed(Failure.REDIRECT, f"HTTP {answer.status}", status=answer.status)
    detail = f"HTTP {answer.status}: {' '.join(answer.excerpt.split())}".strip(": ")
    raise transport.DeliveryFailed(Failure.STATUS, detail[:500], status=answer.status)


def _failed(
    delivery: Delivery, endpoint: Endpoint, failed: transport.DeliveryFailed, *, now: datetime
) -> str:
    gave_up = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or delivery.event == events.PING
    status = Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        response_status=failed.status,
        failure=failed.failure,
        failure_detail=failed.detail[:500],
        next_attempt_at=None if gave_up else now + backoff(delivery.attempts),
    )
    with transaction.atomic():
        locked = Endpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
        if locked is not None:
            locked.last_failure_at = now
            locked.last_failure = failed.failure
            locked.last_failure_detail = failed.detail[:500]
            locked.failing_since = locked.failing_since or now
            locked.save(
                update_fields=["last_failure_at", "last_failure", "last_failure_detail", "failing_since"]
            )
    logger.warning("Webhook delivery %s to endpoint %s failed: %s", delivery.pk, endpoint.pk, failed.detail)
    endpoints_disable_failing(now=now)
    return status


def endpoints_disable_failing(*, now: datetime | None = None) -> int:
    """Disable every active endpoint failing without a success for WEBHOOK_DISABLE_AFTER_DAYS,
    and tell the SMARTCity team (once: the row lock and `is_active` make it happen once)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS)
    disabled = 0
    ids = Endpoint.objects.filter(is_active=True, failing_since__lte=cutoff).values_list("pk", flat=True)
    for pk in list(ids):
        with transaction.atomic():
            endpoint = (
                Endpoint.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, is_active=True, failing_since__lte=cutoff)
                .first()
            )
            if endpoint is None:
                continue
            endpoint.is_active = False
            endpoint.disabled_at = now
            endpoint.save(update_fields=["is_active", "disabled_at"])
            _tell_team(endpoint)
            disabled += 1
    return disabled


def _tell_team(endpoint: Endpoint) -> None:
    team = User.objects.filter(
        Q(groups__name=SMARTCITY_TEAM) | Q(is_superuser=True), is_active=True, deleted_at__isnull=True
    ).distinct()
    notify(
        kind=WEBHOOKS,
        event_key=f"webhooks.disabled:{endpoint.pk}:{endpoint.disabled_at:%Y%m%d%H%M%S}",
        template="webhooks/notifications/disabled",
        context={
            "endpoint": str(endpoint),
            "endpoint_url": endpoint.url,
            "failing_since": timezone.localtime(endpoint.failing_since).strftime("%d.%m.%Y %H:%M")
            if endpoint.failing_since
            else "",
            "days": settings.WEBHOOK_DISABLE_AFTER_DAYS,
            "reason": endpoint.last_failure_detail,
        },
        url=endpoint.get_absolute_url(),
        recipients=list(team),
    )


def deliveries_due_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries of active endpoints whose time has come, and sends cut off by a dying worker."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lte=now).update(
        status=Delivery.Status.PENDING
    )
    due = Delivery.objects.filter(status=Delivery.Status.PENDING).exclude(next_attempt_at__gt=now)
    due = due.filter(Q(endpoint__is_active=True) | Q(event=events.PING))
    return list(due.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])


def deliveries_sweep(*, now: datetime | None = None) -> int:
    """Send what is due (lost tasks, retries) and disable endpoints failing for too long.

    Returns how many were delivered."""
    delivered = sum(
        delivery_send(delivery_id=pk, now=now) == Delivery.Status.DELIVERED
        for pk in deliveries_due_ids(now=now)
    )
    endpoints_disable_failing(now=now)
    return delivered
