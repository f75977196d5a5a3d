"""With Redis down the portal keeps answering: the cache behaves as empty, rate limits fail open.

These tests point the cache at a port where nothing listens, as when Redis has stopped.
"""

import logging
import socket

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from geraportal.core import ratelimit
from geraportal.core.models import LostCacheWrite
from ideas.models import Comment
from tests.ideas.factories import IdeaFactory


def _dead_redis_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens once the socket is closed


@pytest.fixture
def redis_down():
    caches = {**settings.CACHES, "default": {**settings.REDIS_CACHE, "LOCATION": _dead_redis_url()}}
    with override_settings(CACHES=caches):
        yield


def test_cache_calls_answer_like_an_empty_cache(redis_down, caplog, db):
    with caplog.at_level(logging.WARNING, logger="geraportal.core.cache"):
        assert cache.get("k", "fallback") == "fallback"
        assert cache.add("k", 1) is False
        cache.set("k", 1)
        assert cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            cache.incr("k")
        cache.delete("k")
        cache.delete("k")
    assert "cache unreachable" in caplog.text
    # The missed delete is noted (once), for the beat task to apply once Redis is back.
    assert [row.key for row in LostCacheWrite.objects.all()] == [cache.make_key("k")]


def test_rate_limit_fails_open_with_a_log_line(redis_down, caplog):
    with caplog.at_level(logging.WARNING):
        assert all(ratelimit.hit("test:down", limit=1, window=60) for _ in range(3))
    assert "cache unreachable" in caplog.text


def test_posting_a_comment_works_and_keeps_the_text(redis_down, client, citizen):
    idea = IdeaFactory()
    client.force_login(citizen)
    response = client.post(
        reverse("ideas:comment_create", args=[idea.pk]), {"body": "Auch ohne Redis gespeichert."}
    )
    assert response.status_code == 302
    assert Comment.objects.get(idea=idea).body == "Auch ohne Redis gespeichert."


def test_subscribing_to_the_newsletter_works(redis_down, client, db):
    response = client.post(reverse("newsletter:subscribe"), {"email": "leser@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("newsletter:check_inbox")


def test_login_page_answers(redis_down, client):
    assert client.get(reverse("account_login")).status_code == 200
