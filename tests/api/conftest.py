import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Throttle counters and Last-Modified times live in the cache; ids repeat across tests."""
    settings.API_THROTTLE_RATE = "10000/min"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """A client that asks for JSON, like a program reading the API."""
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client
