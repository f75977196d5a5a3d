"""The newsletter against misuse: posts taken back, sign-up floods and bots, readable links."""

import base64
import zlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from geraportal.newsletter import services as newsletter
from geraportal.newsletter.models import NewsletterIssue, NewsletterSubscriber
from geraportal.notifications.models import OutboxEmail
from geraportal.pages import services as pages_services
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.pages.factories import NewsPostFactory

pytestmark = pytest.mark.django_db

Status = NewsletterSubscriber.Status


# Any fixed moment: with the clock standing still, every hit of a test falls into its window.
WINDOW_START = datetime.fromtimestamp(1_775_000_000, tz=UTC)


@pytest.fixture
def fixed_window(clock):
    """Every hit falls into the same rate-limit window, however long the test takes."""
    clock.move_to(WINDOW_START)
    return clock


# --- News posts taken back after the issue was written ---------------------------------------


def _issue_with(*posts):
    issue = IssueFactory()
    issue.news_posts.set(posts)
    return issue


def _bodies():
    return list(OutboxEmail.objects.values_list("body_text", "body_html"))


def test_sending_is_refused_while_the_issue_contains_a_post_taken_back(
    team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="a@example.org")
    secret = NewsPostFactory(title="Geheimer Entwurf")
    issue = _issue_with(secret, NewsPostFactory(title="Offene Werkstatt"))
    pages_services.news_post_unpublish(post=secret, by=None)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(newsletter.PostsNotPublic) as refusal,
    ):
        newsletter.issue_send(issue=issue, by=team_member)
    assert [p.title for p in refusal.value.posts] == ["Geheimer Entwurf"]
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.DRAFT
    assert mail.outbox == [] and not OutboxEmail.objects.exists()


def test_staff_see_which_posts_stop_the_send_and_the_preview_leaves_them_out(
    client, team_member, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="a@example.org")
    later = NewsPostFactory(title="Verschobene Meldung")
    issue = _issue_with(later, NewsPostFactory(title="Offene Werkstatt"))
    later.published_at = timezone.now() + timedelta(days=3)  # rescheduled after the issue was written
    later.save()
    client.force_login(team_member)
    detail = client.get(reverse("staff:newsletter_detail", args=[issue.pk])).text
    preview = detail.split('id="preview-title"', 1)[1]
    assert "Offene Werkstatt" in preview and "Verschobene Meldung" not in preview
    assert "nicht mehr öffentlich" in detail and "Verschobene Meldung" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:newsletter_send", args=[issue.pk]), {"confirm": "yes"}, follow=True
        )
    assert "Es wurde nichts versendet" in response.text and "„Verschobene Meldung“" in response.text
    assert mail.outbox == [] and NewsletterIssue.objects.get().status == NewsletterIssue.Status.DRAFT


def test_a_test_email_leaves_out_a_post_taken_back(team_member, django_capture_on_commit_callbacks):
    secret = NewsPostFactory(title="Geheimer Entwurf")
    issue = _issue_with(secret, NewsPostFactory(title="Offene Werkstatt"))
    pages_services.news_post_unpublish(post=secret, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send_test(issue=issue, to_user=team_member)
    (message,) = mail.outbox
    assert "Offene Werkstatt" in message.body and "Geheimer Entwurf" not in message.body


def test_a_post_taken_back_while_the_issue_is_being_sent_is_left_out_of_the_emails(
    settings, team_member, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    SubscriberFactory.create_batch(5)
    secret = NewsPostFactory(title="Geheimer Entwurf")
    issue = _issue_with(secret, NewsPostFactory(title="Offene Werkstatt"))
    with django_capture_on_commit_callbacks() as callbacks:
        newsletter.issue_send(issue=issue, by=team_member)
    pages_services.news_post_unpublish(post=secret, by=None)  # taken back before the batches ran
    for callback in callbacks:
        callback()
    bodies = _bodies()
    assert len(bodies) == 5 and len(mail.outbox) == 5
    assert all("Offene Werkstatt" in text and "Offene Werkstatt" in html for text, html in bodies)
    assert not any("Geheimer Entwurf" in text or "Geheimer Entwurf" in html for text, html in bodies)


# --- Sign-up: rate limits and a honeypot ------------------------------------------------------


def test_signups_from_one_address_are_limited_with_a_friendly_429_that_keeps_the_input(
    client, settings, fixed_window, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_SUBSCRIBE_RATE_LIMITS = {"ip": (2, 3600), "all": (100, 3600)}
    url = reverse("newsletter:subscribe")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert client.post(url, {"email": f"person{n}@example.org"}).status_code == 302
        response = client.post(url, {"email": "opfer@example.org"})
        assert response.status_code == 429
        assert "Bitte versuchen Sie es später noch einmal" in response.text
        assert 'role="alert"' in response.text and 'value="opfer@example.org"' in response.text
        # Someone else (another IP address) can still sign up.
        other = client.post(url, {"email": "nachbarin@example.org"}, REMOTE_ADDR="203.0.113.7")
        assert other.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "nachbarin@example.org",
        "person0@example.org",
        "person1@example.org",
    ]
    assert not NewsletterSubscriber.objects.filter(email="opfer@example.org").exists()


def test_signups_from_everyone_together_are_limited(client, settings, fixed_window):
    settings.NEWSLETTER_SUBSCRIBE_RATE_LIMITS = {"ip": (100, 3600), "all": (3, 3600)}
    url = reverse("newsletter:subscribe")
    codes = [
        client.post(url, {"email": f"p{n}@example.org"}, REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(1, 6)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert NewsletterSubscriber.objects.count() == 3


def test_the_limit_lets_in_again_once_the_hour_has_passed(client, settings, fixed_window):
    """The window slides (tests/core/test_ratelimit.py): the last hour's hits weigh less as
    they age and not at all two windows on."""
    settings.NEWSLETTER_SUBSCRIBE_RATE_LIMITS = {"ip": (1, 3600), "all": (100, 3600)}
    url = reverse("newsletter:subscribe")
    assert client.post(url, {"email": "a@example.org"}).status_code == 302
    assert client.post(url, {"email": "b@example.org"}).status_code == 429
    fixed_window.shift(7200)
    assert client.post(url, {"email": "b@example.org"}).status_code == 302


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    page = client.get(reverse("newsletter:subscribe")).text
    hidden = page.split('<div class="visually-hidden" aria-hidden="true">', 1)[1].split("</div>", 1)[0]
    assert "Lassen Sie dieses Feld leer" in hidden
    assert 'name="homepage"' in hidden and 'tabindex="-1"' in hidden and 'autocomplete="off"' in hidden
    assert 'name="homepage"' not in page.replace(hidden, "")


def test_a_bot_filling_the_honeypot_sees_the_same_page_and_nothing_is_sent(
    client, django_capture_on_commit_callbacks
):
    url = reverse("newsletter:subscribe")
    with django_capture_on_commit_callbacks(execute=True):
        bot = client.post(url, {"email": "opfer@example.org", "homepage": "https://spam.example"})
        person = client.post(url, {"email": "mensch@example.org", "homepage": ""})
    assert bot.status_code == person.status_code == 302 and bot["Location"] == person["Location"]
    assert [m.to for m in mail.outbox] == [["mensch@example.org"]]
    assert list(NewsletterSubscriber.objects.values_list("email", flat=True)) == ["mensch@example.org"]


def test_ideas_keep_their_own_rate_limit_on_the_shared_counter(settings, fixed_window):
    from ideas import ratelimit as ideas_ratelimit

    settings.IDEAS_RATE_LIMITS = {"idea": (2, 3600), "comment": (2, 300)}
    person = SimpleNamespace(pk=7)
    assert [ideas_ratelimit.allow(user=person, action="idea") for _ in range(3)] == [True, True, False]
    assert ideas_ratelimit.allow(user=person, action="comment")
    assert ideas_ratelimit.allow(user=SimpleNamespace(pk=8), action="idea")


# --- Links in the e-mails do not reveal the address -----------------------------------------


def _decoded_payload(token: str) -> bytes:
    payload = token.split(":", 1)[0]
    compressed = payload.startswith(".")
    data = signing.b64_decode(payload.lstrip(".").encode())
    return zlib.decompress(data) if compressed else data


@pytest.mark.parametrize("make", [newsletter.confirm_token, newsletter.unsubscribe_token])
def test_confirm_and_unsubscribe_links_do_not_contain_the_address(make):
    subscriber = SubscriberFactory(email="lena.geheim@example.org")
    token = make(subscriber)
    payload = _decoded_payload(token)
    for form in (b"lena.geheim@example.org", b"lena.geheim", base64.b64encode(b"lena.geheim@example.org")):
        assert form not in payload and form.decode() not in token
    assert b"example.org" not in payload


@pytest.mark.parametrize(
    "make, read",
    [
        (newsletter.confirm_token, newsletter.read_confirm_token),
        (newsletter.unsubscribe_token, newsletter.read_unsubscribe_token),
    ],
)
def test_a_link_stops_working_when_the_address_changes(make, read):
    subscriber = SubscriberFactory(email="old@example.org", status=Status.PENDING, confirmed_at=None)
    token = make(subscriber)
    assert read(token) == subscriber
    NewsletterSubscriber.objects.filter(pk=subscriber.pk).update(email="new@example.org")
    with pytest.raises(signing.BadSignature):
        read(token)


def test_a_link_for_one_subscriber_cannot_be_pointed_at_another(client):
    first = SubscriberFactory(email="erste@example.org")
    second = SubscriberFactory(email="zweite@example.org")
    data = signing.loads(newsletter.unsubscribe_token(first), salt=newsletter.UNSUBSCRIBE_SALT)
    forged = signing.dumps({**data, "s": second.pk}, salt="something.else")
    assert client.post(reverse("newsletter:unsubscribe", args=[forged])).status_code == 400
    # Even a correctly signed token with the first hash does not fit the second subscriber.
    with pytest.raises(signing.BadSignature):
        newsletter._subscriber_from({**data, "s": second.pk})
    assert NewsletterSubscriber.objects.get(pk=second.pk).status == Status.CONFIRMED
