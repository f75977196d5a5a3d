from celery import shared_task

from .services import ballots_reshuffle_open, close_due_polls


@shared_task
def open_and_close_due_polls() -> int:
    return close_due_polls()


@shared_task
def reshuffle_open_ballots() -> int:
    return ballots_reshuffle_open()
