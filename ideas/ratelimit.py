"""A small per-person rate limit on writing ideas and comments, kept in Django's cache.

The cache is Redis in production, so the limit holds across all web processes.
"""

import time

from django.conf import settings
from django.core.cache import cache


def allow(*, user, action: str) -> bool:
    """Count one `action` of `user`; False once the limit of the current window is reached."""
    limit, window = settings.IDEAS_RATE_LIMITS[action]
    bucket = int(time.time() // window)
    key = f"ideas:rl:{action}:{user.pk}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit
