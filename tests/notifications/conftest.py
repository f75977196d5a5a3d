import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (newsletter sign-ups) live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
