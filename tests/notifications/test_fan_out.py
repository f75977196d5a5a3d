"""The request records one event; a task after commit finds the audience and notifies each person once."""

import pytest
from django.core import mail
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.notifications import tasks
from geraportal.notifications.kinds import Frequency
from geraportal.notifications.models import (
    Notification,
    NotificationEvent,
    NotificationPreference,
    OutboxEmail,
)
from ideas import services as idea_services
from ideas.models import Follow
from ideas.notifications import FOLLOWED
from tests.accounts.factories import UserFactory
from tests.ideas.factories import IdeaFactory

# The comment, the idea's comment count (update + count), the event row, savepoints: the same
# for one follower and for a thousand.
COMMENT_QUERIES = 6


def followers_of(idea, count: int) -> list[User]:
    User.objects.bulk_create(
        [
            User(email=f"follower{n}@example.org", display_name=f"Follower {n}", language="de")
            for n in range(count)
        ]
    )
    users = list(User.objects.filter(email__startswith="follower").order_by("pk"))
    Follow.objects.bulk_create([Follow(idea=idea, user=user) for user in users])
    # Every tenth wants to hear at once; the rest keep the default (daily digest).
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=FOLLOWED, frequency=Frequency.IMMEDIATELY)
            for user in users[::10]
        ]
    )
    return users


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 1000])
def test_a_comment_costs_the_request_the_same_queries_for_1_or_1000_followers(
    count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    followers = followers_of(idea, count)
    commenter = UserFactory()
    immediate = len(followers[::10])

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        django_assert_num_queries(COMMENT_QUERIES),
    ):
        comment = idea_services.comment_create(idea=idea, author=commenter, body="Gute Idee!")
    assert not Notification.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []
    assert NotificationEvent.objects.get().event_key == f"ideas.comment:{comment.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    notified = list(Notification.objects.filter(event_key=f"ideas.comment:{comment.pk}"))
    assert sorted(n.recipient_id for n in notified) == sorted(u.pk for u in followers)
    assert OutboxEmail.objects.count() == immediate
    assert len(mail.outbox) == immediate
    assert NotificationEvent.objects.get().fanned_out_at is not None

    # The task again (a redelivered message, the sweep): nobody hears twice.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.fan_out_event(NotificationEvent.objects.get().pk)
    assert Notification.objects.count() == count
    assert OutboxEmail.objects.count() == immediate
    assert len(mail.outbox) == immediate


@pytest.mark.django_db
def test_the_sweep_fans_out_events_whose_task_was_lost(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    (follower,) = followers_of(idea, 1)
    # The broker was down: the on-commit callbacks are never run.
    with django_capture_on_commit_callbacks(execute=False):
        idea_services.comment_create(idea=idea, author=UserFactory(), body="Gute Idee!")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_events(min_age_seconds=0) == 1
    assert Notification.objects.get().recipient == follower
    assert tasks.sweep_events(min_age_seconds=0) == 0


@pytest.mark.django_db
def test_deleted_and_inactive_people_and_the_actor_hear_nothing(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    active, inactive, deleted = followers_of(idea, 3)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    User.objects.filter(pk=deleted.pk).update(deleted_at="2026-01-01T00:00:00Z")
    Follow.objects.create(idea=idea, user=idea.author)
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_create(idea=idea, author=idea.author, body="Danke!")
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [active.pk]


def test_a_retry_wakes_when_the_row_is_due_not_a_fraction_of_a_second_early(clock):
    from datetime import timedelta

    from geraportal.notifications.tasks import retry_countdown

    due = timezone.now() + timedelta(seconds=1.9)
    assert retry_countdown(due) >= 1.9  # cut to whole seconds it was 1: a wasted wake-up
    assert retry_countdown(timezone.now() - timedelta(seconds=5)) > 0
    assert retry_countdown(None) == 60.0
