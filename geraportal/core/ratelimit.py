"""Rate limits over a sliding window, counted in Django's cache.

The cache is Redis in production, so a limit holds across all web processes. Hits are counted
per fixed slice of `window` seconds, and a limit is checked against the current slice plus the
previous one weighted by how much of it still lies within the last `window` seconds. Counting
per slice alone let twice the limit through at a slice's edge (two comments at 21:19:59, two
more at 21:20:00).
"""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fell into the last `window`
    seconds (refused hits count too, so a flood stays refused)."""
    slices, into = divmod(time.time(), window)
    current = f"rl:{key}:{int(slices)}"
    keep = 2 * window + 5  # the slice is read again as the previous one
    cache.add(current, 0, timeout=keep)
    try:
        count = cache.incr(current)
    except ValueError:  # expired between add and incr
        cache.set(current, 1, timeout=keep)
        count = 1
    previous = cache.get(f"rl:{key}:{int(slices) - 1}", 0)
    return count + previous * (1 - into / window) <= limit


def client_ip(request) -> str:
    """The client's IP address, as allauth's login limits see it (so ALLAUTH_TRUSTED_PROXY_COUNT
    and ALLAUTH_TRUSTED_CLIENT_IP_HEADER behind a reverse proxy apply here too)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):  # a forged or missing X-Forwarded-For
        return request.META.get("REMOTE_ADDR") or "unknown"
