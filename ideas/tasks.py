from datetime import timedelta

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils import timezone

from .forms import PENDING_SECONDS

PENDING_DIR = "ideas/pending"


@shared_task
def delete_abandoned_previews() -> int:
    """Delete preview uploads whose token has expired: nobody can publish or see them any more.

    Through the storage API alone, so it works on the local disk and on S3 alike.
    """
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(seconds=PENDING_SECONDS)
    deleted = 0
    for filename in files:
        name = f"{PENDING_DIR}/{filename}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile (published, or another run)
            continue
    return deleted
