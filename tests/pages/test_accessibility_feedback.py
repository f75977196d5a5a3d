"""The accessibility statement: review date, feedback form (to the SMARTCity team's outbox and
the staff list), the one-month answer, the enforcement body, phone and letter."""

import pytest
from django.urls import reverse

from geraportal.notifications.models import OutboxEmail
from geraportal.pages.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db

URL = "/barrierefreiheit/"


def test_the_statement_shows_review_date_deadline_enforcement_body_and_other_ways(client):
    text = client.get(URL).text
    assert "zuletzt überprüft" in text.lower() or "Zuletzt überprüft" in text
    assert "jedes Jahr" in text and "November 2027" in text
    assert "innerhalb eines Monats" in text
    assert "Landesdurchsetzungsstelle für digitale Barrierefreiheit" in text and "99096 Erfurt" in text
    assert 'href="https://tlmb-thueringen.de/themen/barrierefreiheit/landesdurchsetzungsstelle"' in text
    assert "am Telefon" in text and "mit der Post" in text and "Kornmarkt 12" in text
    assert 'name="message"' in text and "Ihr Name (freiwillig)" in text
    assert "Ihre E-Mail-Adresse (freiwillig)" in text


def test_a_message_reaches_the_team_through_the_outbox(client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            URL, {"name": "", "email": "", "message": "Der Kontrast im Kalender ist zu schwach."}
        )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?gesendet=1#a11y-feedback-form"
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.name == "" and feedback.email == ""
    email = OutboxEmail.objects.get(idempotency_key=f"accessibility-feedback:{feedback.pk}")
    assert email.to_email == settings.PORTAL_OFFICE["email"]
    assert "Der Kontrast im Kalender ist zu schwach." in email.body_text
    assert feedback.answer_due.strftime("%d.%m.%Y") in email.body_text
    assert "Vielen Dank" in client.get(response["Location"]).text


def test_a_reply_address_becomes_reply_to(client):
    client.post(URL, {"name": "Eva Muster", "email": "eva@example.org", "message": "Das Video fehlt."})
    email = OutboxEmail.objects.get()
    assert email.headers == {"Reply-To": "eva@example.org"}
    assert "Eva Muster" in email.body_text


def test_bad_input_is_explained_and_nothing_is_lost(client):
    response = client.post(URL, {"name": "Eva Muster", "email": "kein-at-zeichen", "message": "  "})
    assert response.status_code == 400
    text = response.text
    assert "Die Nachricht wurde noch nicht gesendet" in text
    assert 'value="Eva Muster"' in text and 'value="kein-at-zeichen"' in text
    assert 'aria-invalid="true"' in text and 'aria-describedby="id_email_error"' in text
    assert 'id="id_message_error"' in text
    assert not AccessibilityFeedback.objects.exists() and not OutboxEmail.objects.exists()


def test_a_too_long_message_keeps_its_text(client):
    long_text = "Barriere " * 700
    response = client.post(URL, {"message": long_text})
    assert response.status_code == 400
    assert long_text.strip() in response.text
    assert not AccessibilityFeedback.objects.exists()


def test_the_form_is_rate_limited_like_the_newsletter(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_RATE_LIMITS = {"ip": (1, 3600), "all": (100, 3600)}
    assert client.post(URL, {"message": "Erste Nachricht"}).status_code == 302
    response = client.post(URL, {"message": "Zweite Nachricht"})
    assert response.status_code == 429
    assert "Ihr Text steht noch im Formular" in response.text and "Zweite Nachricht" in response.text
    assert AccessibilityFeedback.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_the_team_lists_the_messages_and_citizens_cannot(client, team_member, citizen):
    AccessibilityFeedback.objects.create(
        name="Eva Muster", email="eva@example.org", message="Das Video fehlt."
    )
    list_url = reverse("staff:accessibility_feedback_list")
    client.force_login(citizen)
    assert client.get(list_url).status_code == 403
    client.force_login(team_member)
    response = client.get(list_url)
    assert response.status_code == 200
    assert "Das Video fehlt." in response.text and "eva@example.org" in response.text
    assert list_url in client.get(reverse("staff:home")).text
