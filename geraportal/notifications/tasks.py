"""Celery tasks: thin wrappers that load ids and call services."""

from datetime import timedelta

from celery import shared_task

from . import digests, services
from .models import OutboxEmail


def retry_countdown(next_attempt_at) -> float:
    """Seconds until the row is due, not cut to whole seconds: a task that wakes before its
    row is due finds it "not yet" and spends a second retry on nothing."""
    if next_attempt_at is None:
        return 60.0
    return max(0.1, (next_attempt_at - services.timezone.now()).total_seconds() + 0.05)


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS, acks_late=True)
def send_outbox_email(self, email_id: int) -> str:
    status = services.outbox_send(email_id=email_id)
    if status == OutboxEmail.Status.PENDING:
        # The attempt failed; try again after the back-off the row now records.
        next_at = OutboxEmail.objects.filter(pk=email_id).values_list("next_attempt_at", flat=True).first()
        raise self.retry(countdown=retry_countdown(next_at))
    return status


@shared_task(acks_late=True)
def fan_out_event(event_id: int) -> int:
    """Idempotent, so a task redelivered after its worker died does no harm."""
    return services.event_fan_out(event_id=event_id)


@shared_task
def sweep_events(min_age_seconds: int = 60) -> int:
    """Fan out the events whose task was lost; returns how many."""
    ids = services.events_unfanned_ids(older_than=timedelta(seconds=min_age_seconds))
    for event_id in ids:
        services.event_fan_out(event_id=event_id)
    return len(ids)


@shared_task
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task
def send_digests(frequency: str) -> int:
    return digests.digests_send(frequency=frequency)
