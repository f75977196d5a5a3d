"""A logout while Redis is down holds once Redis is back (a real Redis, restarted with its data).

A Redis that comes back with its data (persistence, a restarted service) would bring back a
session whose delete it missed. The failed delete is noted in the database and the beat task
deletes the key once Redis answers."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from geraportal.core.models import LostCacheWrite
from geraportal.core.tasks import drop_lost_cache_writes
from tests.accounts.factories import UserFactory
from tests.processes import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path, persistent=True) as server:
        yield server


@pytest.fixture
def redis_cache(redis_server):
    config = {**settings.CACHES, "default": {**settings.REDIS_CACHE, "LOCATION": redis_server.url}}
    with override_settings(CACHES=config, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        yield


def logged_in(client: Client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def log_out_while_redis_is_down(redis_server) -> Client:
    """A person logs out while Redis is down; returns a client with their old session cookie."""
    client = Client()
    client.force_login(UserFactory())
    assert logged_in(client)
    thief = Client()  # someone who copied the session cookie: the reason to log out
    thief.cookies["sessionid"] = client.cookies["sessionid"].value
    assert logged_in(thief)
    redis_server.stop()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302  # the logout works while Redis is down
    assert LostCacheWrite.objects.exists()
    redis_server.start()  # ... and comes back with the session it never saw deleted
    return thief


@pytest.mark.django_db(transaction=True)
def test_a_logout_while_redis_is_down_holds_once_it_is_back(redis_cache, redis_server):
    """The process that saw Redis fail applies the noted deletes at its first read after."""
    thief = log_out_while_redis_is_down(redis_server)
    assert not logged_in(thief)
    assert not LostCacheWrite.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_beat_applies_them_for_processes_that_saw_no_failure(redis_cache, redis_server, monkeypatch):
    from geraportal.core import cache as resilient

    thief = log_out_while_redis_is_down(redis_server)
    monkeypatch.setattr(resilient, "_recovering", False)  # as another process, which saw nothing
    assert logged_in(thief)  # Redis brought the old session back ...
    assert drop_lost_cache_writes() >= 1  # ... until beat's next run (every minute)
    assert not logged_in(thief)
    assert not LostCacheWrite.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_task_keeps_the_keys_while_redis_is_still_down(redis_cache, redis_server):
    from django.core.cache import cache

    cache.set("k", "old")
    redis_server.stop()
    cache.delete("k")
    with pytest.raises(Exception):  # noqa: B017  (redis-py's connection error: the run fails, beat retries)
        drop_lost_cache_writes()
    assert LostCacheWrite.objects.count() == 1
    redis_server.start()
    assert cache.get("k") is None  # applied at this process's first read once Redis answers
    assert not LostCacheWrite.objects.exists()


def test_beat_runs_the_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["core-drop-lost-cache-writes"]
    assert entry["task"] == drop_lost_cache_writes.name and entry["schedule"] == 60
