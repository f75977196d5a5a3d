"""What a person supports and follows, and whether moderation hid ideas of theirs, are kept in
the person cache (`geraportal.accounts.personcache`): the list and an idea's page asked the
database for them on every logged-in request (issue 16). Each change shows at once.

Transactional: the person cache is filled and trusted outside transactions only, and a change
drops its entry after the commit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import services
from tests.accounts.factories import UserFactory

from .factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUPPORTED = "Sie unterstützen sie"


@pytest.fixture(autouse=True)
def caches_on(settings, reference_data):
    settings.PAGE_CACHE_SECONDS = 300  # the list's count is kept too
    settings.PERSON_CACHE_SECONDS = 600


def _tables(queries) -> list[str]:
    return [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]


def test_a_list_asked_again_reads_only_the_person(client, citizen):
    """(The page's ideas and their count are kept in the shared cache: tests/test_page_cache.py.)"""
    ideas = IdeaFactory.create_batch(size=3)
    services.idea_support(idea=ideas[0], user=citizen)
    client.force_login(citizen)
    client.get(reverse("ideas:list"))
    with CaptureQueriesContext(connection) as again:
        assert SUPPORTED in client.get(reverse("ideas:list")).text
    assert _tables(again) == ['"accounts_user"']


def test_an_idea_s_page_asked_again_does_not_ask_for_the_person_s_support_or_follow(client, citizen):
    idea = IdeaFactory()
    client.force_login(citizen)
    client.get(idea.get_absolute_url())
    with CaptureQueriesContext(connection) as again:
        client.get(idea.get_absolute_url())
    assert not [t for t in _tables(again) if t in ('"ideas_support"', '"ideas_follow"')]


def test_a_support_and_its_withdrawal_show_at_once(client, citizen):
    idea = IdeaFactory(title="Bänke am Markt")
    client.force_login(citizen)
    assert SUPPORTED not in client.get(reverse("ideas:list")).text
    services.idea_support(idea=idea, user=citizen)
    assert SUPPORTED in client.get(reverse("ideas:list")).text
    assert "Unterstützung zurückziehen" in client.get(idea.get_absolute_url()).text
    services.idea_unsupport(idea=idea, user=citizen)
    assert SUPPORTED not in client.get(reverse("ideas:list")).text
    assert "Unterstützung zurückziehen" not in client.get(idea.get_absolute_url()).text


def test_a_follow_and_an_unfollow_show_at_once(client, citizen):
    idea = IdeaFactory()
    client.force_login(citizen)
    assert "Nicht mehr folgen" not in client.get(idea.get_absolute_url()).text
    services.idea_follow(idea=idea, user=citizen)
    assert "Nicht mehr folgen" in client.get(idea.get_absolute_url()).text
    services.idea_unfollow(idea=idea, user=citizen)
    assert "Nicht mehr folgen" not in client.get(idea.get_absolute_url()).text


def test_a_merge_moves_the_support_and_the_follow_the_person_sees(client, citizen, team_member):
    duplicate, original = IdeaFactory(), IdeaFactory(title="Das Original")
    services.idea_support(idea=duplicate, user=citizen)
    services.idea_follow(idea=duplicate, user=citizen)
    client.force_login(citizen)
    assert "Unterstützung zurückziehen" not in client.get(original.get_absolute_url()).text
    services.idea_merge(idea=duplicate, into=original, by=team_member)
    page = client.get(original.get_absolute_url()).text
    assert "Unterstützung zurückziehen" in page and "Nicht mehr folgen" in page


def test_an_idea_hidden_by_moderation_shows_to_its_author_at_once(client, citizen, team_member):
    idea = IdeaFactory(author=citizen, title="Meine Idee")
    client.force_login(citizen)
    assert "Ihre von der Moderation ausgeblendeten Ideen" not in client.get(reverse("ideas:list")).text
    services.idea_set_hidden(idea=idea, by=team_member, hidden=True, reason="Doppelt")
    page = client.get(reverse("ideas:list")).text
    assert "Ihre von der Moderation ausgeblendeten Ideen" in page and "Meine Idee" in page
    services.idea_set_hidden(idea=idea, by=team_member, hidden=False)
    assert "Ihre von der Moderation ausgeblendeten Ideen" not in client.get(reverse("ideas:list")).text


def test_someone_supporting_very_many_ideas_still_sees_each_support(client, monkeypatch):
    """Past `KEPT_IDEAS` ids the person cache keeps no list: each page asks for its own ideas."""
    from ideas import selectors

    monkeypatch.setattr(selectors, "KEPT_IDEAS", 2)
    person = UserFactory()
    ideas = IdeaFactory.create_batch(size=4)
    for idea in ideas:
        services.idea_support(idea=idea, user=person)
    client.force_login(person)
    assert client.get(reverse("ideas:list")).text.count(SUPPORTED) == 4
    assert "Unterstützung zurückziehen" in client.get(ideas[0].get_absolute_url()).text


def test_an_author_follows_their_new_idea_at_once(client, citizen):
    from ideas.models import Idea

    client.force_login(citizen)
    client.get(reverse("ideas:list"))  # the person's facts are kept from here on
    idea = services.idea_submit(
        author=citizen, idea=Idea(title="Meine neue Idee", body="Text", theme=IdeaFactory().theme)
    )
    assert "Nicht mehr folgen" in client.get(idea.get_absolute_url()).text
