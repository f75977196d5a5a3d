"""Periodic work of the core app (the beat schedule is in settings)."""

from celery import shared_task
from django.core.cache import caches

from .cache import ResilientRedisCache
from .models import LostCacheWrite

BATCH = 1000


@shared_task
def drop_lost_cache_writes() -> int:
    """Delete from Redis the keys whose write it missed while it was down (see LostCacheWrite).

    Runs every minute; while Redis is still down it fails and the keys wait for the next run.
    Returns how many keys were dropped."""
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        LostCacheWrite.objects.all().delete()  # no Redis (development, tests): nothing to drop
        return 0
    dropped = 0
    while rows := list(LostCacheWrite.objects.order_by("pk").values_list("pk", "key")[:BATCH]):
        backend.drop_raw(sorted({key for _, key in rows}))
        LostCacheWrite.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        dropped += len(rows)
    return dropped
