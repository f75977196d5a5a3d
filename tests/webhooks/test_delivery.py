"""Deliveries against a real HTTP receiver on loopback: signed, once, retried, given up, disabled."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from api.webhooks import services, signatures, tasks
from api.webhooks.models import Delivery, Endpoint, Failure
from geraportal.notifications.models import Notification
from ideas import services as idea_services
from ideas.models import Idea
from tests.accounts.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from tests.notifications.delivery import fan_out_events

from .conftest import make_endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def submit_idea(author=None, **fields) -> Idea:
    author = author or UserFactory()
    draft = IdeaFactory.build(author=author, **fields)
    return idea_services.idea_submit(author=author, idea=draft)


def send_all() -> list[str]:
    return [services.delivery_send(delivery_id=pk) for pk in Delivery.objects.values_list("pk", flat=True)]


def test_a_published_idea_reaches_the_receiver_signed(receiver):
    endpoint = make_endpoint(receiver.url)
    idea = submit_idea(title="Trinkbrunnen am Markt")
    fan_out_events()
    assert send_all() == ["delivered"]

    [request] = receiver.requests
    assert request.path == "/hooks/portal"
    headers = request.headers
    assert headers["X-Geraportal-Event"] == "idea.published"
    assert headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert headers["Content-Type"].startswith("application/json")
    delivery = Delivery.objects.get()
    assert headers["X-Geraportal-Delivery"] == str(delivery.uuid)
    timestamp = int(headers["X-Geraportal-Timestamp"])
    assert abs(timestamp - timezone.now().timestamp()) < 5
    assert signatures.verify(
        secret=endpoint.secret,
        timestamp=timestamp,
        body=request.body,
        signature=headers["X-Geraportal-Signature"],
    )
    # A receiver's own check, as docs/webhooks.md shows it.
    import hashlib
    import hmac

    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert headers["X-Geraportal-Signature"] == f"sha256={expected.hexdigest()}"
    assert not signatures.verify(
        secret="whsec_other",
        timestamp=timestamp,
        body=request.body,
        signature=headers["X-Geraportal-Signature"],
    )

    payload = json.loads(request.body)
    assert payload["event"] == "idea.published"
    assert payload["id"] == f"ideas.published:{idea.pk}"
    assert payload["url"] == f"https://beteiligung.gera.de{idea.get_absolute_url()}"
    assert payload["occurred_at"]
    assert payload["data"]["idea"]["id"] == idea.pk
    assert payload["data"]["idea"]["title"] == "Trinkbrunnen am Markt"
    assert payload["data"]["idea"]["url"].startswith("https://beteiligung.gera.de/")


def test_the_payload_carries_no_private_data(receiver):
    make_endpoint(receiver.url)
    author = UserFactory(email="anna.autorin@example.org", display_name="Anna Autorin")
    submit_idea(author=author, title="Bänke")
    fan_out_events()
    send_all()
    body = receiver.requests[0].body.decode()
    assert "anna.autorin@example.org" not in body and "Anna Autorin" not in body
    assert "@" not in body


def test_a_hidden_idea_never_goes_out(receiver, team_member):
    make_endpoint(receiver.url)
    idea = submit_idea(title="Versteckt")
    idea_services.idea_set_hidden(idea=idea, by=team_member, hidden=True, reason="Spam")
    fan_out_events()
    assert not Delivery.objects.exists()
    assert receiver.requests == []


def test_each_event_is_delivered_once_per_endpoint_even_if_the_tasks_run_twice(receiver):
    first = make_endpoint(receiver.url)
    second = make_endpoint(receiver.url.replace("/portal", "/zweites"))
    submit_idea()
    fan_out_events()
    # The fan-out again (a redelivered task, the sweep racing the task): no new delivery.
    from geraportal.notifications import services as notification_services
    from geraportal.notifications.models import NotificationEvent

    for event in NotificationEvent.objects.all():
        NotificationEvent.objects.filter(pk=event.pk).update(fanned_out_at=None)
        notification_services.event_fan_out(event_id=event.pk)
    assert Delivery.objects.filter(endpoint=first).count() == 1
    assert Delivery.objects.filter(endpoint=second).count() == 1
    for pk in Delivery.objects.values_list("pk", flat=True):
        tasks.send_webhook.apply(args=[pk])
        tasks.send_webhook.apply(args=[pk])
    services.deliveries_sweep()
    assert sorted(r.path for r in receiver.requests) == ["/hooks/portal", "/hooks/zweites"]


def test_an_endpoint_not_subscribed_to_the_event_gets_nothing(receiver):
    make_endpoint(receiver.url, events=["pilot.status_changed"])
    submit_idea()
    fan_out_events()
    assert not Delivery.objects.exists()


def test_an_inactive_endpoint_gets_nothing(receiver):
    make_endpoint(receiver.url, is_active=False)
    submit_idea()
    fan_out_events()
    assert not Delivery.objects.exists()


def test_a_500_is_retried_after_a_back_off(receiver, clock):
    endpoint = make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    receiver.status = 500
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.response_status == 500
    assert delivery.failure == Failure.STATUS and "500" in delivery.failure_detail
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=30) <= wait <= timedelta(seconds=60)
    endpoint.refresh_from_db()
    assert endpoint.failing_since == timezone.now() and endpoint.last_failure == Failure.STATUS

    # Not yet due: the sweep leaves it alone, nothing is sent.
    receiver.status = 200
    assert services.deliveries_sweep() == 0
    assert len(receiver.requests) == 1

    clock.shift(wait + timedelta(seconds=1))
    assert services.deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2 and delivery.response_status == 200
    assert len(receiver.requests) == 2
    # The same body and event id; a fresh timestamp and signature.
    assert receiver.requests[0].body == receiver.requests[1].body
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.last_success_at == timezone.now()


def test_a_retry_after_the_idea_was_hidden_sends_nothing(receiver, clock, team_member):
    make_endpoint(receiver.url)
    idea = submit_idea(title="Erst öffentlich, dann ausgeblendet")
    fan_out_events()
    delivery = Delivery.objects.get()
    receiver.status = 500
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    idea_services.idea_set_hidden(idea=idea, by=team_member, hidden=True, reason="Beleidigung")
    receiver.status = 200
    clock.shift(timedelta(hours=2))
    services.deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn" and delivery.next_attempt_at is None
    assert len(receiver.requests) == 1  # only the first attempt, before it was hidden
    clock.shift(timedelta(hours=2))
    assert services.deliveries_sweep() == 0


def test_the_back_off_doubles(receiver, clock):
    make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    receiver.status = 503
    waits = []
    for _attempt in range(3):
        services.delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - timezone.now())
        clock.shift(waits[-1] + timedelta(seconds=1))
    assert timedelta(seconds=30) <= waits[0] <= timedelta(seconds=60)
    assert timedelta(seconds=60) <= waits[1] <= timedelta(seconds=120)
    assert timedelta(seconds=120) <= waits[2] <= timedelta(seconds=240)


def test_a_delivery_is_given_up_after_the_last_attempt(receiver, clock, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    receiver.status = 500
    delivery = Delivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    clock.shift(timedelta(hours=1))
    assert services.delivery_send(delivery_id=delivery.pk) == "failed"
    clock.shift(timedelta(hours=1))
    services.deliveries_sweep()
    assert len(receiver.requests) == 2


def test_a_redirect_is_not_followed_and_counts_as_failure(receiver):
    make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    receiver.status = 302
    receiver.location = f"http://127.0.0.1:{receiver.port}/elsewhere"
    delivery = Delivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    assert [r.path for r in receiver.requests] == ["/hooks/portal"]
    delivery.refresh_from_db()
    assert delivery.failure == Failure.REDIRECT and delivery.response_status == 302


def test_a_stalling_receiver_times_out_and_counts_as_failure(receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 2.0
    make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.failure == Failure.TIMEOUT and delivery.response_status is None


def test_a_slow_drip_receiver_is_cut_off_at_the_deadline(receiver, settings):
    """A byte every 0.1 s never trips the per-read timeout; the whole send still has a deadline
    (twice the timeout), or one receiver could hold a worker for minutes and have the sweep
    take the send for a dead one."""
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.drip = 0.1  # the answer would take about 25 s
    make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    started = time.monotonic()
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert delivery.failure == Failure.TIMEOUT


def test_nothing_listening_counts_as_failure(settings):
    from tests.processes import free_port

    make_endpoint(f"http://127.0.0.1:{free_port()}/nobody")
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.failure == Failure.CONNECT


def test_an_endpoint_failing_for_days_is_disabled_and_the_team_told(receiver, clock, team_member):
    endpoint = make_endpoint(receiver.url, description="Open-Data-Cockpit")
    submit_idea()
    fan_out_events()
    receiver.status = 500
    delivery = Delivery.objects.get()
    services.delivery_send(delivery_id=delivery.pk)
    started = timezone.now()

    clock.shift(timedelta(days=2, hours=23))
    services.deliveries_sweep()
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failing_since == started

    clock.shift(timedelta(hours=2))
    services.deliveries_sweep()
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at == timezone.now()
    fan_out_events()
    told = Notification.objects.get(recipient=team_member, kind="webhooks")
    assert "Open-Data-Cockpit" in told.context["endpoint"]
    assert told.url == endpoint.get_absolute_url()

    # Disabled: nothing more is sent, also not what waits, and no second message.
    requests_before = len(receiver.requests)
    clock.shift(timedelta(days=1))
    services.deliveries_sweep()
    submit_idea()
    fan_out_events()
    assert len(receiver.requests) == requests_before
    assert Notification.objects.filter(kind="webhooks").count() == 1


def test_a_success_in_between_resets_the_failing_clock(receiver, clock):
    endpoint = make_endpoint(receiver.url)
    receiver.status = 500
    submit_idea()
    fan_out_events()
    services.delivery_send(delivery_id=Delivery.objects.get().pk)
    clock.shift(timedelta(days=2))
    receiver.status = 200
    submit_idea()
    fan_out_events()
    services.deliveries_sweep()
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None
    clock.shift(timedelta(days=2))
    services.deliveries_sweep()
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_switching_a_disabled_endpoint_on_sends_what_waited(receiver, clock, team_member):
    endpoint = make_endpoint(receiver.url)
    receiver.status = 500
    submit_idea()
    fan_out_events()
    services.delivery_send(delivery_id=Delivery.objects.get().pk)
    clock.shift(timedelta(days=4))
    services.endpoints_disable_failing()
    endpoint.refresh_from_db()
    assert not endpoint.is_active

    receiver.status = 200
    services.endpoint_enable(endpoint=endpoint, by=team_member)
    services.deliveries_sweep()
    assert Delivery.objects.get().status == "delivered"
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_at is None and endpoint.failing_since is None


def test_a_test_event_goes_to_this_endpoint_only(receiver, team_member):
    endpoint = make_endpoint(receiver.url)
    make_endpoint(receiver.url.replace("/portal", "/other"))
    delivery = services.endpoint_send_test(endpoint=endpoint, by=team_member)
    assert services.delivery_send(delivery_id=delivery.pk) == "delivered"
    [request] = receiver.requests
    assert request.path == "/hooks/portal" and request.headers["X-Geraportal-Event"] == "ping"
    assert signatures.verify(
        secret=endpoint.secret,
        timestamp=int(request.headers["X-Geraportal-Timestamp"]),
        body=request.body,
        signature=request.headers["X-Geraportal-Signature"],
    )


def test_a_rotated_secret_signs_the_next_attempt(receiver, team_member):
    endpoint = make_endpoint(receiver.url)
    old = endpoint.secret
    new = services.endpoint_rotate_secret(endpoint=endpoint, by=team_member)
    assert new != old and Endpoint.objects.get(pk=endpoint.pk).secret == new
    delivery = services.endpoint_send_test(endpoint=endpoint, by=team_member)
    services.delivery_send(delivery_id=delivery.pk)
    request = receiver.requests[0]
    timestamp = int(request.headers["X-Geraportal-Timestamp"])
    signature = request.headers["X-Geraportal-Signature"]
    assert signatures.verify(secret=new, timestamp=timestamp, body=request.body, signature=signature)
    assert not signatures.verify(secret=old, timestamp=timestamp, body=request.body, signature=signature)


def test_a_send_cut_off_by_a_dying_worker_is_tried_again(receiver, clock):
    make_endpoint(receiver.url)
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=1, next_attempt_at=timezone.now() + services.stuck_after()
    )
    assert services.deliveries_sweep() == 0
    clock.shift(services.stuck_after() + timedelta(seconds=1))
    assert services.deliveries_sweep() == 1
    assert len(receiver.requests) == 1


def test_the_whole_way_after_commit(receiver, django_capture_on_commit_callbacks):
    """The request records the event; after commit the fan-out, the listener and the send task run."""
    make_endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        submit_idea(title="Nach dem Commit")
    assert Delivery.objects.get().status == "delivered"
    assert json.loads(receiver.requests[0].body)["data"]["idea"]["title"] == "Nach dem Commit"
