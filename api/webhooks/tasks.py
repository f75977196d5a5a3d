"""Celery tasks: thin wrappers that take ids and call services (idempotent, acks_late)."""

from celery import shared_task
from django.utils import timezone

from geraportal.notifications.tasks import retry_countdown

from . import services
from .models import Delivery


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_webhook(self, delivery_id: int) -> str:
    status = services.delivery_send(delivery_id=delivery_id)
    if status == Delivery.Status.PENDING and not self.request.is_eager:
        # The attempt failed: try again when the back-off the row records is over. A delivery
        # waiting for its endpoint to be switched on has no time ahead; the sweep finds it.
        next_at = Delivery.objects.filter(pk=delivery_id).values_list("next_attempt_at", flat=True).first()
        if next_at is not None and next_at > timezone.now():
            raise self.retry(countdown=retry_countdown(next_at))
    return status


@shared_task
def sweep_webhooks() -> int:
    """Deliveries whose task was lost or whose retry is due; endpoints failing for too long."""
    return services.deliveries_sweep()
