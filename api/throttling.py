from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from geraportal.core.ratelimit import client_ip


class AnonymousThrottle(AnonRateThrottle):
    """DRF's throttle for anonymous clients, counted in the cache (Redis in production).

    The rate is read on each request (`API_THROTTLE_RATE`), and the client is the address
    allauth's login limits see, so one proxy setting covers both. It counts the answers that
    are built: one served from the page cache (`PAGE_CACHE_SESSIONLESS_PATHS`) never reaches it.
    """

    scope = "anon"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_ident(self, request) -> str:
        return client_ip(request)
