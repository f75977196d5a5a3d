"""Sessions are read from the cache (written through to the database): a logged-in page does
not read its session row, and logging out still ends the session everywhere."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _session_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_logged_in_page_reads_no_session_row(client):
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("pages:home"))
    assert response.wsgi_request.user.is_authenticated
    assert _session_queries(queries) == []


def test_session_survives_a_lost_cache_entry(client):
    """The database holds every session: a cache that lost it (evicted, Redis restarted) only
    costs one read."""
    from django.core.cache import caches

    user = UserFactory()
    client.force_login(user)
    caches[settings.SESSION_CACHE_ALIAS].clear()
    response = client.get(reverse("pages:home"))
    assert response.wsgi_request.user == user


def test_logout_ends_the_session_in_the_cache_too(client):
    client.force_login(UserFactory())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get(reverse("pages:home"))  # the session is now in the cache
    client.post(reverse("account_logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie  # someone replays the old cookie
    response = client.get(reverse("pages:home"))
    assert not response.wsgi_request.user.is_authenticated
