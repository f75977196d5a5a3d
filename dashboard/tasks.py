from celery import shared_task

from . import rollup


@shared_task(acks_late=True)
def rebuild_rollup() -> str:
    """Count yesterday and before into the dashboard's roll-up (beat, nightly). Idempotent: a
    run cut off leaves the previous roll-up, and the figures count the days since it live."""
    return str(rollup.rebuild().complete_until)
