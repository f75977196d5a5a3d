"""Health checks for load balancers and orchestrators.

`/healthz`: the web process is up and answers (no database, no cache: cheap enough to poll
every second, and the baseline the benchmark measures every page against).
`/readyz`: the process can serve real requests: the database, Redis (when configured) and the
file storage answer. 503 with the failing parts named, so a balancer takes the process out.
"""

import logging
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def _storage() -> None:
    default_storage.exists("readyz-probe")


CHECKS = {"database": _database, "redis": _redis, "storage": _storage}


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:
            logger.warning("readyz: %s unreachable: %s: %s", name, type(exc).__name__, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    ready = all(result["ok"] for result in results.values())
    body = {"status": "ok" if ready else "unavailable", "checks": results}
    return JsonResponse(body, status=200 if ready else 503)
