"""The cache keeps one Redis client per connection pool, and it survives a Redis restart."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings


@pytest.fixture
def cache(redis_server):
    config = {**settings.CACHES, "default": {**settings.REDIS_CACHE, "LOCATION": redis_server.url}}
    with override_settings(CACHES=config):
        yield caches["default"]


def test_cache_calls_share_one_client(cache):
    """Django's own client built a new `redis.Redis` (and its table of response callbacks)
    for every call; the portal's keeps one."""
    client = cache._cache.get_client("a", write=True)
    assert cache._cache.get_client("b", write=True) is client
    assert cache._cache.get_client("c") is client  # one server: reads use the same pool


def test_the_kept_client_works_again_after_redis_restarts(cache, redis_server):
    cache.set("k", "before")
    redis_server.stop()
    assert cache.get("k", "fallback") == "fallback"  # down: an empty cache, no error
    redis_server.start()
    cache.set("k", "after")
    assert cache.get("k") == "after"
