"""A person's roles and unread count come from the cache after their first page, and a change
counts from the next request on.

Transactional: the cache is filled and trusted outside transactions only, and a change drops
its entry after the commit — which an ordinary test never reaches.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from geraportal.accounts.personcache import person_fact, person_fact_forget
from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.notifications.models import Notification
from tests.accounts.factories import UserFactory, give_mfa
from tests.workgroups.factories import MembershipFactory, group
from workgroups.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)

# The person's staff roles, their working-group roles, their unread count.
PERSONAL = (
    'FROM "auth_group"',
    '"workgroups_membership"."role" AS "role"',
    'FROM "notifications_notification"',
)


def _personal_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in PERSONAL)]


@pytest.mark.parametrize("url", ["/", "/ideas/", "/pilots/", "/workgroups/energie-umwelt/"])
def test_later_pages_ask_nothing_about_the_person(client, reference_data, url):
    client.force_login(UserFactory())
    client.get(url)
    assert _personal_queries(client, url) == []


def test_a_new_moderator_moderates_from_the_next_request(client, reference_data):
    person = UserFactory()
    client.force_login(person)
    queue = reverse("ideas:moderation")
    assert client.get(queue).status_code == 403
    assert client.get(queue).status_code == 403  # now from the cache
    membership = MembershipFactory(user=person, group=group(), role=Membership.Role.MODERATOR)
    assert client.get(queue).status_code == 200
    membership.delete()
    assert client.get(queue).status_code == 403


def test_a_role_given_and_taken_counts_from_the_next_request(client, reference_data):
    person = UserFactory(is_staff=True)
    give_mfa(person)
    client.force_login(person)
    queue = reverse("ideas:moderation")
    assert client.get(queue).status_code == 403
    team = Group.objects.get(name=SMARTCITY_TEAM)
    person.groups.add(team)
    assert client.get(queue).status_code == 200
    team.user_set.remove(person)  # from the other side of the relation
    assert client.get(queue).status_code == 403


def test_the_bell_counts_new_and_read_notifications_at_once(client, reference_data):
    from geraportal.notifications.services import notifications_mark_all_read
    from ideas.models import Follow
    from ideas.services import comment_create
    from tests.ideas.factories import IdeaFactory

    badge = 'text-bg-danger">1<'
    person = UserFactory()
    idea = IdeaFactory()
    Follow.objects.create(idea=idea, user=person)
    client.force_login(person)
    client.get("/")
    assert badge not in client.get("/").text  # now from the cache
    comment_create(idea=idea, author=UserFactory(), body="Gute Idee!")  # fanned out at once (eager)
    assert Notification.objects.filter(recipient=person).count() == 1
    assert badge in client.get("/").text
    notifications_mark_all_read(user=person)
    assert badge not in client.get("/").text


def test_an_answer_read_before_a_commit_is_never_served(reference_data, settings):
    """A request reads the old value, the change commits and drops the token, the request
    stores what it read: the next request still reads the database."""
    person = UserFactory()
    answers = iter(["old", "new"])

    def slow_read():
        value = next(answers)
        person_fact_forget(topic="t", person_ids=[person.pk])  # commits (autocommit) meanwhile
        return value

    assert person_fact(topic="t", person_id=person.pk, compute=slow_read) == "old"
    assert person_fact(topic="t", person_id=person.pk, compute=lambda: "new") == "new"


def test_a_page_asks_the_cache_once_for_all_of_the_person_s_facts(client, reference_data, monkeypatch):
    """The header's unread count, the roles and the working-group roles were three round trips
    to Redis on every logged-in page."""
    from django.core.cache import cache

    client.force_login(UserFactory())
    client.get("/ideas/")
    asked: list[list[str]] = []
    real_get_many = cache.get_many

    def get_many(keys, *args, **kwargs):
        keys = list(keys)
        if any(key.startswith("person:") for key in keys):
            asked.append(keys)
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    assert client.get("/ideas/").status_code == 200
    assert len(asked) == 1


def test_a_change_the_request_commits_counts_in_the_same_request(reference_data):
    """A fact kept for the request is forgotten when a change to it commits."""
    from geraportal.core import requestscope

    person = UserFactory()
    token = requestscope._scope.set({})
    try:
        assert person_fact(topic="t", person_id=person.pk, compute=lambda: "old") == "old"
        assert person_fact(topic="t", person_id=person.pk, compute=lambda: "unused") == "old"
        person_fact_forget(topic="t", person_ids=[person.pk])  # autocommit: at once
        assert person_fact(topic="t", person_id=person.pk, compute=lambda: "new") == "new"
    finally:
        requestscope._scope.reset(token)
