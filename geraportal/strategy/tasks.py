from celery import shared_task
from django.utils import timezone

from .reminders import reminders_send


@shared_task
def send_strategy_reminders() -> str | None:
    reminder = reminders_send(today=timezone.localdate())
    return str(reminder) if reminder else None
