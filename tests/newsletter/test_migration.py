"""The newsletter's tables move from `notifications` to `newsletter` without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("notifications", "0003_notification_events_and_kind_registry"), ("newsletter", None)]
AFTER = [("notifications", "0004_newsletter_moved_out"), ("newsletter", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_subscribers_issues_and_deliveries_survive_the_move():
    old = migrate(BEFORE)
    now = timezone.now()
    Subscriber = old.get_model("notifications", "NewsletterSubscriber")
    Issue = old.get_model("notifications", "NewsletterIssue")
    Delivery = old.get_model("notifications", "NewsletterDelivery")
    Event = old.get_model("notifications", "NewsletterSubscriptionEvent")
    Batch = old.get_model("notifications", "NewsletterBatch")
    Outbox = old.get_model("notifications", "OutboxEmail")
    subscriber = Subscriber.objects.create(
        email="leserin@example.org", status="confirmed", requested_at=now, confirmed_at=now
    )
    Event.objects.create(subscriber=subscriber, action="confirmed", at=now)
    issue = Issue.objects.create(subject="Frühjahr 2026", status="sent", send_started_at=now, sent_count=1)
    Batch.objects.create(
        issue=issue, first_subscriber_id=subscriber.pk, last_subscriber_id=subscriber.pk, size=1
    )
    email = Outbox.objects.create(
        idempotency_key="newsletter:1:1", to_email=subscriber.email, subject="x", body_text="x"
    )
    Delivery.objects.create(issue=issue, subscriber=subscriber, email=email)

    new = migrate(AFTER)
    NewSubscriber = new.get_model("newsletter", "NewsletterSubscriber")
    NewIssue = new.get_model("newsletter", "NewsletterIssue")
    moved = NewSubscriber.objects.get(email="leserin@example.org")
    assert moved.pk == subscriber.pk and moved.status == "confirmed"
    assert list(moved.events.values_list("action", flat=True)) == ["confirmed"]
    moved_issue = NewIssue.objects.get(pk=issue.pk)
    assert (moved_issue.subject, moved_issue.sent_count) == ("Frühjahr 2026", 1)
    assert moved_issue.batches.get().size == 1
    delivery = moved_issue.deliveries.get()
    assert (delivery.subscriber_id, delivery.email_id) == (subscriber.pk, email.pk)
    assert not new.is_installed("notifications") or "newslettersubscriber" not in {
        m._meta.model_name for m in new.get_app_config("notifications").get_models()
    }

    # Leave the database as the other tests expect it.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
