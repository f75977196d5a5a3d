"""The newsletter: double opt-in, one-click unsubscribe, batches, bounces, bad input."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse

from geraportal.accounts import personal_data
from geraportal.newsletter import services as newsletter
from geraportal.newsletter.models import (
    NewsletterBatch,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterSubscriber,
    NewsletterSubscriptionEvent,
)
from geraportal.notifications.models import OutboxEmail
from tests.accounts.factories import UserFactory
from tests.newsletter import backends as newsletter_backends
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.pages.factories import NewsPostFactory

Status = NewsletterSubscriber.Status
NOW = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


def link_in(message, name: str) -> str:
    return re.search(rf"https?://\S+/newsletter/{name}/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = "tests.newsletter.backends.RefusingBackend"
    newsletter_backends.opened.clear()


# --- Double opt-in ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_subscribing_sends_a_confirmation_and_confirming_logs_both_steps(
    client, clock, django_capture_on_commit_callbacks
):
    clock.move_to(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletter:subscribe"), {"email": " Lena@Example.org "})
    assert response.status_code == 302 and response["Location"] == reverse("newsletter:check_inbox")
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.email == "lena@example.org" and subscriber.status == Status.PENDING
    (message,) = mail.outbox
    assert (
        message.to == ["lena@example.org"]
        and "Bestätigen" in message.subject
        or "bestätigen" in message.subject
    )
    confirm_path = path_of(link_in(message, "confirm"))
    # Opening the link only asks (mail scanners must not subscribe anyone) ...
    assert "Ja, ich möchte" in client.get(confirm_path).text
    assert NewsletterSubscriber.objects.get().status == Status.PENDING
    # ... the button confirms.
    clock.move_to(NOW + timedelta(hours=2))
    response = client.post(confirm_path)
    assert response.status_code == 200 and "bestätigt" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Status.CONFIRMED and subscriber.confirmed_at == NOW + timedelta(hours=2)
    steps = list(NewsletterSubscriptionEvent.objects.values_list("action", "at"))
    assert steps == [("requested", NOW), ("confirmed", NOW + timedelta(hours=2))]


@pytest.mark.django_db
def test_subscribing_an_address_already_subscribed_sends_nothing_and_looks_the_same(
    client, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("newsletter:subscribe"), {"email": "KNOWN@example.org"})
        new = client.post(reverse("newsletter:subscribe"), {"email": "new@example.org"})
    assert known.status_code == new.status_code == 302 and known["Location"] == new["Location"]
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert NewsletterSubscriber.objects.get(email="known@example.org").status == Status.CONFIRMED


@pytest.mark.django_db
def test_asking_twice_in_a_row_sends_one_confirmation(clock, django_capture_on_commit_callbacks):
    clock.move_to(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.newsletter_subscribe(email="a@example.org", language="de")
        newsletter.newsletter_subscribe(email="a@example.org", language="de")
    assert len(mail.outbox) == 1
    clock.move_to(NOW + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.newsletter_subscribe(email="a@example.org", language="de")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_confirmation_is_in_the_language_of_the_page(client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:subscribe"), {"email": "ann@example.org"})
    assert mail.outbox[0].subject == "Please confirm your newsletter subscription"
    assert NewsletterSubscriber.objects.get().language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "",
        "kein-at-zeichen",
        "a@b",
        "lena@example.org\r\nBcc: victim@example.org",
        "x@example.org\nBcc:y@example.org",
        "a b@example.org",
        "<script>@example.org",
        "a" * 250 + "@example.org",
    ],
)
def test_malformed_address_gets_a_clear_message(client, address):
    response = client.post(reverse("newsletter:subscribe"), {"email": address})
    assert response.status_code == 200 and not NewsletterSubscriber.objects.exists() and mail.outbox == []
    assert "invalid-feedback" in response.text


@pytest.mark.django_db
def test_malformed_address_stays_in_the_form_with_the_reason(client):
    response = client.post(reverse("newsletter:subscribe"), {"email": "lena(at)example.org"})
    assert 'value="lena(at)example.org"' in response.text and "gültige E-Mail-Adresse" in response.text


def test_header_injection_in_an_address_is_refused_by_the_service():
    for attempt in ["a@example.org\r\nBcc: b@example.org", "a@example.org\nSubject: x", "a@example.org\x00"]:
        with pytest.raises(newsletter.InvalidAddress):
            newsletter.normalise_email(attempt)


@pytest.mark.django_db
def test_expired_confirmation_link_explains_and_answers_400(client, monkeypatch):
    subscriber = SubscriberFactory(status=Status.PENDING, confirmed_at=None)
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago))
        token = newsletter.confirm_token(subscriber)
    for method in (client.get, client.post):
        response = method(reverse("newsletter:confirm", args=[token]))
        assert response.status_code == 400 and "abgelaufen" in response.text
    assert NewsletterSubscriber.objects.get().status == Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["confirm", "unsubscribe"])
def test_tampered_tokens_answer_400_never_500(client, name):
    subscriber = SubscriberFactory(status=Status.PENDING, confirmed_at=None)
    good = (
        newsletter.confirm_token(subscriber)
        if name == "confirm"
        else newsletter.unsubscribe_token(subscriber)
    )
    other_salt = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt="something.else")
    for token in [good[:-2] + "xx", "garbage", "a" * 3000, other_salt, "%00", good.replace(":", "")]:
        for method in (client.get, client.post):
            response = method(f"/newsletter/{name}/{token}/")
            assert response.status_code in (400, 404), token
    assert NewsletterSubscriber.objects.get().status == Status.PENDING


@pytest.mark.django_db
def test_token_for_an_address_that_changed_hands_is_refused(client):
    subscriber = SubscriberFactory(status=Status.PENDING, confirmed_at=None, email="old@example.org")
    token = newsletter.confirm_token(subscriber)
    NewsletterSubscriber.objects.filter(pk=subscriber.pk).update(email="new@example.org")
    assert client.post(reverse("newsletter:confirm", args=[token])).status_code == 400


@pytest.mark.django_db
def test_old_confirmation_link_does_not_resubscribe_after_unsubscribing(client):
    subscriber = SubscriberFactory(status=Status.PENDING, confirmed_at=None)
    token = newsletter.confirm_token(subscriber)
    newsletter.newsletter_confirm(subscriber=subscriber)
    newsletter.newsletter_unsubscribe(subscriber=subscriber)
    assert client.post(reverse("newsletter:confirm", args=[token])).status_code == 400
    assert NewsletterSubscriber.objects.get().status == Status.UNSUBSCRIBED


# --- Unsubscribe ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_click_unsubscribe_works_without_cookies_or_csrf(clock):
    from django.test import Client

    clock.move_to(NOW)
    subscriber = SubscriberFactory()
    url = reverse("newsletter:unsubscribe", args=[newsletter.unsubscribe_token(subscriber)])
    browserless = Client(enforce_csrf_checks=True)
    assert "Jetzt abbestellen" in browserless.get(url).text
    assert NewsletterSubscriber.objects.get().status == Status.CONFIRMED  # GET only asks
    response = browserless.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Status.UNSUBSCRIBED and subscriber.unsubscribed_at == NOW
    assert browserless.post(url).status_code == 200  # twice is fine
    assert NewsletterSubscriptionEvent.objects.filter(action="unsubscribed").count() == 1


# --- Issues and sending ---------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_goes_to_confirmed_subscribers_only_in_batches_with_unsubscribe_headers(
    settings, team_member, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 3
    confirmed = SubscriberFactory.create_batch(7)
    SubscriberFactory(status=Status.PENDING, confirmed_at=None, email="pending@example.org")
    SubscriberFactory(status=Status.UNSUBSCRIBED, email="gone@example.org")
    SubscriberFactory(status=Status.BOUNCED, email="bounced@example.org")
    post = NewsPostFactory(title="Pilot Mobilitätsinsel abgeschlossen", teaser="Fertig!")
    issue = IssueFactory()
    issue.news_posts.set([post])
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    assert sorted(newsletter_backends.sent_to()) == sorted(s.email for s in confirmed)
    assert NewsletterBatch.objects.filter(issue=issue).count() == 3
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT and issue.send_finished_at
    assert (issue.recipients_total, issue.sent_count, issue.failed_count, issue.bounced_count) == (7, 7, 0, 0)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body and unsubscribe in message.alternatives[0][0]
    assert newsletter.read_unsubscribe_token(unsubscribe.rstrip("/").rsplit("/", 1)[1]).email == message.to[0]
    assert "Pilot Mobilitätsinsel abgeschlossen" in message.body and "/news/" in message.body
    keys = set(OutboxEmail.objects.values_list("idempotency_key", flat=True))
    assert keys == {f"newsletter:{issue.pk}:{s.pk}" for s in confirmed}


@pytest.mark.django_db
def test_running_every_batch_again_sends_nothing_twice(
    settings, team_member, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    SubscriberFactory.create_batch(5)
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    assert len(mail.outbox) == 5
    NewsletterBatch.objects.update(done_at=None)
    NewsletterIssue.objects.filter(pk=issue.pk).update(status="sending")
    for batch_id in newsletter.issue_plan_batches(issue_id=issue.pk):
        newsletter.batch_send(batch_id=batch_id)
    assert (
        len(mail.outbox) == 5 and OutboxEmail.objects.count() == 5 and NewsletterDelivery.objects.count() == 5
    )


@pytest.mark.django_db
def test_an_issue_cannot_be_sent_twice(team_member, django_capture_on_commit_callbacks):
    SubscriberFactory()
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    with pytest.raises(newsletter.InvalidTransition):
        newsletter.issue_send(issue=issue, by=team_member)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_smtp_connection_per_batch(
    settings, refusing_smtp, team_member, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 4
    SubscriberFactory.create_batch(8)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=IssueFactory(), by=team_member)
    assert len(mail.outbox) == 8 and len(newsletter_backends.opened) == 2


@pytest.mark.django_db
def test_recipient_refused_at_send_time_counts_as_bounce_and_stops_further_sends(
    refusing_smtp, team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="gibtsnicht@example.org")
    SubscriberFactory.create_batch(2)
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    issue.refresh_from_db()
    assert (issue.sent_count, issue.failed_count, issue.bounced_count) == (2, 0, 1)
    bounced = NewsletterSubscriber.objects.get(email="gibtsnicht@example.org")
    assert bounced.status == Status.BOUNCED and "550" in bounced.bounce_reason
    row = OutboxEmail.objects.get(to_email="gibtsnicht@example.org")
    assert row.status == OutboxEmail.Status.FAILED and row.next_attempt_at is None
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=IssueFactory(subject="Zweite Ausgabe"), by=team_member)
    assert "gibtsnicht@example.org" not in newsletter_backends.sent_to()


@pytest.mark.django_db
def test_temporary_refusal_is_retried_not_bounced(
    refusing_smtp, team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="spaeter@example.org")
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    assert NewsletterSubscriber.objects.get().status == Status.CONFIRMED
    row = OutboxEmail.objects.get()
    assert row.status == OutboxEmail.Status.PENDING and row.next_attempt_at is not None
    counts = newsletter.issue_counts(issue=issue, live=True)
    assert (counts["sent"], counts["bounced"], counts["waiting"]) == (0, 0, 1)


@pytest.mark.django_db
def test_bounce_recorded_later_by_staff_or_command(team_member, django_capture_on_commit_callbacks):
    SubscriberFactory(email="alt@example.org")
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    call_command("newsletter_bounce", "ALT@example.org", "--reason", "mailbox full\r\nBcc: x@y.de")
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.status == Status.BOUNCED and "\n" not in subscriber.bounce_reason
    issue.refresh_from_db()
    assert issue.bounced_count == 1 and issue.sent_count == 0


@pytest.mark.django_db
def test_subject_with_header_injection_stays_one_harmless_line(
    team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory()
    issue = IssueFactory(subject="Neuigkeiten\r\nBcc: victim@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == [] and message.recipients() == message.to
    assert "Bcc" not in message.message()


@pytest.mark.django_db
def test_send_test_goes_to_the_staff_member_only_and_does_not_count(
    team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory()
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send_test(issue=issue, to_user=team_member)
    (message,) = mail.outbox
    assert message.to == [team_member.email] and message.subject.startswith("[Test]")
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT and not NewsletterDelivery.objects.exists()


# --- Staff pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_composes_previews_tests_and_sends_with_progress(
    client, team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(3)
    post = NewsPostFactory(title="Strategie-Update 2026")
    client.force_login(team_member)
    response = client.post(
        reverse("staff:newsletter_create"),
        {"subject": "Frühling 2026", "intro": "Hallo!", "news_posts": [post.pk]},
    )
    issue = NewsletterIssue.objects.get()
    assert response["Location"] == reverse("staff:newsletter_detail", args=[issue.pk])
    preview = client.get(response["Location"]).text
    assert "Strategie-Update 2026" in preview and "Frühling 2026" in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:newsletter_test", args=[issue.pk]))
    assert [m.to for m in mail.outbox] == [[team_member.email]]
    # Without ticking the confirmation box nothing goes out.
    client.post(reverse("staff:newsletter_send", args=[issue.pk]))
    assert NewsletterIssue.objects.get().status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:newsletter_send", args=[issue.pk]), {"confirm": "yes"})
    assert len(mail.outbox) == 4
    page = client.get(reverse("staff:newsletter_detail", args=[issue.pk])).text
    assert "<progress" in page and 'for="newsletter-progress-bar"' in page and 'aria-live="polite"' in page
    fragment = client.get(
        reverse("staff:newsletter_progress", args=[issue.pk]), headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and 'value="3"' in fragment.text and "<html" not in fragment.text


@pytest.mark.django_db
def test_progress_fragment_polls_while_sending(client, team_member):
    issue = IssueFactory(status="sending", send_started_at=NOW, recipients_total=10)
    client.force_login(team_member)
    page = client.get(reverse("staff:newsletter_detail", args=[issue.pk])).text
    assert 'hx-trigger="every 3s"' in page and 'max="10"' in page


@pytest.mark.django_db
def test_empty_issue_is_refused_with_a_message(client, team_member):
    client.force_login(team_member)
    response = client.post(reverse("staff:newsletter_create"), {"subject": "Leer", "intro": ""})
    assert (
        response.status_code == 200
        and not NewsletterIssue.objects.exists()
        and 'value="Leer"' in response.text
    )


@pytest.mark.django_db
def test_sent_issue_cannot_be_edited(client, team_member):
    issue = IssueFactory(status="sent", send_started_at=NOW)
    client.force_login(team_member)
    client.post(reverse("staff:newsletter_edit", args=[issue.pk]), {"subject": "Anders", "intro": "x"})
    assert NewsletterIssue.objects.get().subject == "Neues aus der Smart City"


@pytest.mark.django_db
def test_staff_records_a_bounce_in_the_browser(client, team_member):
    SubscriberFactory(email="tot@example.org")
    client.force_login(team_member)
    response = client.post(reverse("staff:newsletter_bounce"), {"email": "tot@example.org", "reason": "550"})
    assert response.status_code == 302
    assert NewsletterSubscriber.objects.get().status == Status.BOUNCED
    unknown = client.post(reverse("staff:newsletter_bounce"), {"email": "wer@example.org"})
    assert unknown.status_code == 200 and 'value="wer@example.org"' in unknown.text
    invalid = client.post(reverse("staff:newsletter_bounce"), {"email": "x\r\nBcc: y"})
    assert invalid.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,args",
    [
        ("newsletter_list", []),
        ("newsletter_create", []),
        ("newsletter_subscribers", []),
        ("newsletter_detail", [1]),
        ("newsletter_progress", [1]),
    ],
)
def test_citizen_cannot_reach_newsletter_staff_pages(client, citizen, name, args):
    IssueFactory(pk=1)
    client.force_login(citizen)
    assert client.get(reverse(f"staff:{name}", args=args)).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_from_the_newsletter_staff_pages(client):
    issue = IssueFactory()
    for name, args in [
        ("newsletter_list", []),
        ("newsletter_detail", [issue.pk]),
        ("newsletter_subscribers", []),
    ]:
        response = client.get(reverse(f"staff:{name}", args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_citizen_cannot_send_an_issue(client, citizen):
    SubscriberFactory()
    issue = IssueFactory()
    client.force_login(citizen)
    assert (
        client.post(reverse("staff:newsletter_send", args=[issue.pk]), {"confirm": "yes"}).status_code == 403
    )
    assert NewsletterIssue.objects.get().status == "draft" and mail.outbox == []


@pytest.mark.django_db
def test_staff_without_two_factor_is_redirected_from_the_newsletter(client, team_member_without_mfa):
    client.force_login(team_member_without_mfa)
    response = client.get(reverse("staff:newsletter_list"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_staff_pages_need_a_pinned_number_of_queries(client, team_member, django_assert_num_queries):
    SubscriberFactory.create_batch(20)
    IssueFactory.create_batch(5)
    client.force_login(team_member)
    for url in [reverse("staff:newsletter_list"), reverse("staff:newsletter_subscribers")]:
        client.get(url)
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200


# --- Personal data --------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_and_deletion_of_the_subscription_of_a_users_address(
    team_member, django_capture_on_commit_callbacks
):
    user = UserFactory(email="Anna@Example.org")
    SubscriberFactory(email="anna@example.org")
    other = SubscriberFactory()
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=team_member)
    (exported,) = personal_data.export_for(user)["newsletter"]
    assert exported["email"] == "anna@example.org" and exported["status"] == "confirmed"
    personal_data.erase_for(user, delete_contributions=False)
    assert list(NewsletterSubscriber.objects.all()) == [other]
    assert not OutboxEmail.objects.filter(to_email="anna@example.org").exists()
    issue.refresh_from_db()
    assert issue.sent_count == 2 and newsletter.issue_counts(issue=issue)["sent"] == 2


@pytest.mark.django_db
def test_hostile_inputs_never_break_subscribing_or_composing(client, team_member):
    import json
    from pathlib import Path

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    hostile = list(strings(json.loads(Path("/work/shared/testdata/hostile-inputs.json").read_text())))
    for text in hostile:
        assert client.post(reverse("newsletter:subscribe"), {"email": text}).status_code in (200, 302)
        assert client.get(f"/newsletter/confirm/{text[:200]}x/").status_code in (400, 404)
    client.force_login(team_member)
    for text in hostile[:20]:
        response = client.post(reverse("staff:newsletter_create"), {"subject": text[:200], "intro": text})
        assert response.status_code in (200, 302)
    for issue in NewsletterIssue.objects.all():
        assert client.get(reverse("staff:newsletter_detail", args=[issue.pk])).status_code == 200
        assert "\n" not in issue.subject


@pytest.mark.postgres
@pytest.mark.django_db
def test_subscriber_search_with_a_nul_byte_answers_normally_on_postgres(client, team_member):
    SubscriberFactory(email="eva@example.org")
    client.force_login(team_member)
    response = client.get(reverse("staff:newsletter_subscribers"), {"q": "eva\x00"})
    assert response.status_code == 200
    assert "eva@example.org" in response.text
