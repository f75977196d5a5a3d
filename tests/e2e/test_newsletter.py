"""The newsletter in a real browser: double opt-in end to end, one-click unsubscribe; news and
events pages pass axe."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from geraportal.newsletter import services as newsletter
from geraportal.newsletter.models import NewsletterIssue, NewsletterSubscriber
from tests.accounts.factories import UserFactory, give_mfa
from tests.pages.factories import EventFactory, NewsPostFactory

from .conftest import axe_violations


def _link(message, name: str) -> str:
    return re.search(rf"https?://\S+/newsletter/{name}/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.mark.django_db(transaction=True)
def test_double_opt_in_and_one_click_unsubscribe_end_to_end(page, mailoutbox):
    NewsPostFactory(title="Pilot Mobilitätsinsel abgeschlossen", slug="pilot-mobilitaetsinsel")

    # Subscribe from the home page's newsletter box.
    page.goto("/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("lena@example.org")
    page.get_by_role("button", name="Abonnieren").click()
    page.wait_for_url("**/newsletter/check-inbox/")
    expect(page.get_by_role("heading", name="Bitte sehen Sie in Ihr Postfach")).to_be_visible()

    # The confirmation e-mail went out through the outbox after commit.
    (confirmation,) = mailoutbox
    assert confirmation.to == ["lena@example.org"]
    page.goto(_path(_link(confirmation, "confirm")))
    assert NewsletterSubscriber.objects.get().status == "pending"  # opening the link only asks
    page.get_by_role("button", name="Ja, ich möchte den Newsletter erhalten").click()
    expect(page.get_by_role("heading", name="Anmeldung bestätigt")).to_be_visible()
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.status == "confirmed" and subscriber.confirmed_at is not None

    # Subscribing again reveals nothing and sends nothing.
    page.goto("/newsletter/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("LENA@example.org")
    page.get_by_role("button", name="Abonnieren").click()
    page.wait_for_url("**/newsletter/check-inbox/")
    assert len(mailoutbox) == 1

    # An issue arrives with an unsubscribe link that works in one click.
    staff = UserFactory(roles=["SMARTCity-Team"])
    issue = NewsletterIssue.objects.create(subject="Frühling in Gera", intro="Hallo!")
    newsletter.issue_send(issue=issue, by=staff)
    issue_mail = mailoutbox[-1]
    assert issue_mail.subject == "Frühling in Gera" and "List-Unsubscribe" in issue_mail.extra_headers
    page.goto(_path(_link(issue_mail, "unsubscribe")))
    page.get_by_role("button", name="Jetzt abbestellen").click()
    expect(page.get_by_role("heading", name="Sie sind abgemeldet")).to_be_visible()
    assert NewsletterSubscriber.objects.get().status == "unsubscribed"


@pytest.mark.django_db(transaction=True)
def test_malformed_address_is_explained_in_the_browser(page):
    page.goto("/newsletter/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("lena(at)example.org")
    page.get_by_role("button", name="Abonnieren").click()
    expect(page.get_by_text("Bitte geben Sie eine gültige E-Mail-Adresse ein")).to_be_visible()
    assert page.get_by_label("Ihre E-Mail-Adresse").input_value() == "lena(at)example.org"
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_news_events_and_newsletter_pages_have_no_wcag_violations(page):
    post = NewsPostFactory(title="Strategie-Update 2026", body="## Was neu ist\n\n- Punkt eins\n- Punkt zwei")
    EventFactory(title="Smart City zum Anfassen", starts_at=timezone.now() + timedelta(hours=1))
    month = timezone.localdate().strftime("%Y-%m")
    for url in ["/news/", post.get_absolute_url(), f"/events/?month={month}", "/newsletter/"]:
        page.goto(url)
        violations = axe_violations(page)
        assert violations == [], f"{url}:\n" + "\n".join(violations)


@pytest.mark.django_db(transaction=True)
def test_staff_sends_an_issue_and_sees_the_result(page, live_server, mailoutbox):
    NewsletterSubscriber.objects.create(
        email="leser@example.org",
        status="confirmed",
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    staff = UserFactory(email="team@example.org", roles=["SMARTCity-Team"])
    give_mfa(staff)
    page.context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    _log_in(page, live_server, staff)
    page.goto("/staff/newsletter/new/")
    page.get_by_label("Betreff").fill("Neues aus Gera")
    page.get_by_label("Text").fill("Liebe Leserinnen und Leser, **willkommen**!")
    page.get_by_role("button", name="Speichern und Vorschau").click()
    expect(page.get_by_role("heading", name="Vorschau")).to_be_visible()
    page.get_by_label("Ja, diesen Newsletter jetzt an 1").check()
    page.get_by_role("button", name="An alle Abonnent/innen senden").click()
    progress = page.locator("progress#newsletter-progress-bar")
    assert progress.get_attribute("value") == "1" and progress.get_attribute("max") == "1"
    assert [m.to for m in mailoutbox] == [["leser@example.org"]]
    assert axe_violations(page) == []


def _log_in(page, live_server, user):
    """Log in through a session made by the test client (the browser then carries its cookie)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
