"""Who cares about an idea: the one rule other apps ask for instead of rebuilding it."""

import pytest
from django.utils import timezone

from ideas.models import Follow, Support
from ideas.selectors import idea_audience, idea_followers
from tests.accounts.factories import UserFactory

from .factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_audience_is_authors_followers_and_supporters_once_each():
    first, second = IdeaFactory(), IdeaFactory()
    both = UserFactory()
    Follow.objects.create(idea=first, user=both)
    Support.objects.create(idea=second, user=both)
    Support.objects.create(idea=first, user=second.author)
    assert sorted(idea_audience(idea_ids=[first.pk, second.pk])) == sorted(
        {first.author_id, second.author_id, both.pk}
    )


def test_a_hidden_ideas_audience_is_its_author_only():
    idea = IdeaFactory(hidden=True, hidden_reason="Werbung")
    Follow.objects.create(idea=idea, user=UserFactory())
    Support.objects.create(idea=idea, user=UserFactory())
    assert list(idea_audience(idea_ids=[idea.pk])) == [idea.author_id]
    assert list(idea_followers(idea_id=idea.pk)) == []


def test_deleted_and_deactivated_people_are_not_in_the_audience():
    idea = IdeaFactory()
    deleted, inactive = UserFactory(), UserFactory()
    deleted.deleted_at = timezone.now()
    deleted.save(update_fields=["deleted_at"])
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    Follow.objects.create(idea=idea, user=deleted)
    Support.objects.create(idea=idea, user=inactive)
    assert list(idea_audience(idea_ids=[idea.pk])) == [idea.author_id]
