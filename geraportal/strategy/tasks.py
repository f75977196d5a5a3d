from celery import shared_task
from django.utils import timezone

from . import services
from .pdf import edition_generate_pdf
from .reminders import phase_reminders_send, reminders_send


@shared_task
def send_strategy_reminders() -> str | None:
    """Daily: the due-date reminder, the reminders of the cycle's phases, the consultation notice."""
    today = timezone.localdate()
    phase_reminders_send(today=today)
    services.consultations_announce(today=today)
    reminder = reminders_send(today=today)
    return str(reminder) if reminder else None


@shared_task(acks_late=True)
def generate_pdf(edition_id: int) -> bool:
    return edition_generate_pdf(edition_id=edition_id)
