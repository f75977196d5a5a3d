"""Fixed-window rate limits, counted in Django's cache.

The cache is Redis in production, so a limit holds across all web processes. A window is a
fixed slice of time (e.g. each full hour); the count starts again in the next one.
"""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fell into the current window
    of `window` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"rl:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The client's IP address, as allauth's login limits see it (so ALLAUTH_TRUSTED_PROXY_COUNT
    and ALLAUTH_TRUSTED_CLIENT_IP_HEADER behind a reverse proxy apply here too)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):  # a forged or missing X-Forwarded-For
        return request.META.get("REMOTE_ADDR") or "unknown"
