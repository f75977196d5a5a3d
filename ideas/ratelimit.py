"""A small per-person rate limit on writing ideas and comments (see geraportal/core/ratelimit.py)."""

from django.conf import settings

from geraportal.core import ratelimit


def allow(*, user, action: str) -> bool:
    """Count one `action` of `user`; False once the limit of the current window is reached."""
    limit, window = settings.IDEAS_RATE_LIMITS[action]
    return ratelimit.hit(f"ideas:{action}:{user.pk}", limit=limit, window=window)
