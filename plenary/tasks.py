from celery import shared_task

from .services import close_due_polls


@shared_task
def open_and_close_due_polls() -> int:
    return close_due_polls()
