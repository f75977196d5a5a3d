"""Two batches of one issue go out side by side: neither skips the other (PostgreSQL row locks)."""

import threading

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from geraportal.newsletter import services as newsletter
from geraportal.newsletter.models import NewsletterIssue
from tests.newsletter import backends as newsletter_backends

from .factories import IssueFactory, SubscriberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _claim_like_a_worker(sql: str, params, claimed: threading.Event, release: threading.Event) -> None:
    """Another worker in the middle of claiming its batch: its transaction holds the claim's locks."""
    db = connection.settings_dict
    with (
        psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
        ) as other,
        other.transaction(),
    ):
        other.execute(sql, params)
        claimed.set()
        release.wait(30)


def test_a_batch_is_not_skipped_while_another_batch_of_the_issue_is_being_claimed(settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    SubscriberFactory.create_batch(4)
    issue = IssueFactory()
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status="sending", last_subscriber_id=10**9, send_started_at=timezone.now()
    )
    first, second = newsletter.issue_plan_batches(issue_id=issue.pk)
    with transaction.atomic():  # the claim's SQL, as the other worker runs it
        sql, params = newsletter.batch_claim(first).query.sql_with_params()
    claimed, release = threading.Event(), threading.Event()
    other = threading.Thread(target=_claim_like_a_worker, args=(sql, params, claimed, release))
    other.start()
    try:
        assert claimed.wait(10)
        counts = newsletter.batch_send(batch_id=second)
    finally:
        release.set()
        other.join(10)
    assert counts.get("sent") == 2, "the batch was skipped because the issue row was locked"
    assert len(newsletter_backends.sent_to()) == 2
