import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.accounts.factories import UserFactory
from workgroups.models import Membership

from .factories import IdeaFactory, theme


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; ids repeat across tests on SQLite."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def idea(db, citizen):
    return IdeaFactory(author=citizen)


@pytest.fixture
def other_citizen(db):
    return UserFactory(display_name="Bernd Nachbar")


@pytest.fixture
def group_moderator(db):
    """Moderator of the working group "Energie und Umwelt" (the factories' default theme)."""
    user = UserFactory(display_name="Clara Moderation")
    Membership.objects.create(group=theme("energie-umwelt"), user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def other_group_moderator(db):
    user = UserFactory()
    Membership.objects.create(group=theme("wirtschaft"), user=user, role=Membership.Role.MODERATOR)
    return user


class FrozenClock:
    def __init__(self, monkeypatch, moment: datetime.datetime):
        self.moment = moment
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, moment: datetime.datetime) -> None:
        self.moment = moment


@pytest.fixture
def frozen(monkeypatch):
    """Freeze django.utils.timezone.now at 1 June 2026, 12:00 in Gera; `frozen.set(...)` moves it."""
    start = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    return FrozenClock(monkeypatch, start)
