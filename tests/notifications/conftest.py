import pytest
from django.utils import timezone


@pytest.fixture
def freeze(monkeypatch):
    """freeze(datetime) makes timezone.now() return that moment everywhere."""

    def _freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return _freeze
