import pytest
from django.core.cache import cache
from django.utils import timezone


@pytest.fixture
def freeze(monkeypatch):
    """freeze(datetime) makes timezone.now() return that moment everywhere."""

    def _freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return _freeze


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (newsletter sign-ups) live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
