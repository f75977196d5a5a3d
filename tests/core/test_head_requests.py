"""HEAD answers like GET on every page (link checkers, monitors and feeds readers send it)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.ideas.factories import IdeaFactory


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            yield f"{namespace}{entry.name}"


SKIP = {"admin:", "account_", "api:", "mfa_", "usersessions_"}


def _urls_without_arguments():
    for name in sorted(set(_named_patterns())):
        if any(name.startswith(prefix) for prefix in SKIP):
            continue
        try:
            yield reverse(name)
        except Exception:  # noqa: S112  (a pattern with optional arguments)
            continue


@pytest.mark.parametrize("url", list(_urls_without_arguments()))
def test_head_answers_like_get(client, db, url):
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == get.status_code, f"{url}: GET {get.status_code}, HEAD {head.status_code}"
    assert head.content == b""


def test_head_on_an_idea_and_its_feeds(client, db):
    idea = IdeaFactory()
    geojson = reverse("ideas:geojson") + "?bbox=11.9,50.8,12.2,50.95"
    for url in (idea.get_absolute_url(), geojson, reverse("ideas:feed_rss")):
        assert client.head(url).status_code == client.get(url).status_code == 200
