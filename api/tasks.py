from celery import shared_task

from . import opendata


@shared_task(acks_late=True)
def generate_open_data() -> int:
    """Rewrite the open-data downloads (beat, nightly). Idempotent: a run writes a new set and
    then drops the old one; a run cut off leaves the previous set in place."""
    manifest = opendata.dumps_generate()
    return sum(entry["rows"] for entry in manifest["datasets"]) if manifest else 0
