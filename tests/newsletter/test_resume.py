"""A batch whose task was lost is queued again within minutes; a batch still sending is left alone."""

from datetime import timedelta

import pytest
from django.core import mail

from geraportal.newsletter import services as newsletter
from geraportal.newsletter.models import NewsletterBatch, NewsletterIssue

from .factories import IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _sending_issue(settings, *, batches: int = 2) -> NewsletterIssue:
    settings.NEWSLETTER_BATCH_SIZE = 2
    SubscriberFactory.create_batch(2 * batches)
    issue = IssueFactory(
        status="sending", send_started_at=newsletter.timezone.now(), last_subscriber_id=10**9
    )
    newsletter.issue_plan_batches(issue_id=issue.pk)
    return issue


def test_a_silent_batch_is_resumed_after_two_minutes_not_fifteen(settings, clock):
    settings.NEWSLETTER_RESUME_AFTER_SECONDS = 120
    issue = _sending_issue(settings)
    lost, alive = NewsletterBatch.objects.filter(issue=issue).order_by("pk")
    now = newsletter.timezone.now()
    NewsletterBatch.objects.filter(pk=lost.pk).update(started_at=now, alive_at=now)
    clock.shift(timedelta(minutes=2, seconds=1))
    NewsletterBatch.objects.filter(pk=alive.pk).update(started_at=now, alive_at=newsletter.timezone.now())
    assert newsletter.issues_resume() == [lost.pk]


def test_a_sending_batch_shows_it_is_alive(settings, monkeypatch):
    monkeypatch.setattr(newsletter, "ALIVE_EVERY", 1)
    issue = _sending_issue(settings, batches=1)
    batch = NewsletterBatch.objects.get(issue=issue)
    newsletter.batch_send(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.alive_at is not None and batch.alive_at >= batch.started_at
    assert len(mail.outbox) == 2
