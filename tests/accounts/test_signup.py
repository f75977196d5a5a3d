"""Sign-up, verification and login, and what happens with bad input (German is the default)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from geraportal.districts.models import District

from .factories import PASSWORD

User = get_user_model()

SIGNUP_URL = "/accounts/signup/"


def signup_data(**overrides) -> dict:
    data = {
        "email": "neu@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Neue Nutzerin",
        "district": "",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def confirmation_link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", body).group(1)


@pytest.mark.django_db
def test_newcomer_signs_up_verifies_and_is_logged_in(client, mailoutbox):
    lusan = District.objects.get(name="Lusan")
    response = client.post(SIGNUP_URL, signup_data(district=lusan.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="neu@example.org")
    assert (user.display_name, user.district, user.language) == ("Neue Nutzerin", lusan, "de")
    # Verification is mandatory: no login before the link is followed.
    assert "_auth_user_id" not in client.session

    (mail,) = mailoutbox
    assert mail.to == ["neu@example.org"]
    assert "E-Mail" in mail.subject  # German, the default language
    link = confirmation_link(mail.body)
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.emailaddress_set.get().verified


@pytest.mark.django_db
def test_login_requires_a_verified_email(client, mailoutbox):
    client.post(SIGNUP_URL, signup_data())
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": "neu@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in fresh.session


@pytest.mark.django_db
def test_signup_in_english_stores_english_as_preferred_language(client):
    client.cookies["django_language"] = "en"
    client.post(SIGNUP_URL, signup_data())
    assert User.objects.get(email="neu@example.org").language == "en"


@pytest.mark.django_db
def test_signup_with_an_existing_email_tells_the_owner_and_creates_nothing(client, citizen, mailoutbox):
    response = client.post(SIGNUP_URL, signup_data(email=citizen.email.upper()), follow=True)
    assert response.status_code == 200
    # The page answers like any sign-up (nobody learns who has an account) ...
    assert "Bestätigen Sie Ihre E-Mail-Adresse" in response.text
    assert User.objects.filter(email__iexact=citizen.email).count() == 1
    # ... and the owner of the address is told how to log in instead.
    (mail,) = mailoutbox
    assert mail.to == [citizen.email.upper()] or mail.to == [citizen.email]
    assert "Konto" in mail.body and "Passwort" in mail.body


@pytest.mark.django_db
def test_malformed_email_is_refused_and_the_typed_values_stay(client):
    response = client.post(SIGNUP_URL, signup_data(email="nicht-eine-adresse@"))
    assert response.status_code == 200
    assert "Bitte gültige E-Mail-Adresse eingeben." in response.text
    assert 'value="nicht-eine-adresse@"' in response.text
    assert 'value="Neue Nutzerin"' in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_weak_password_is_refused_in_german_and_the_form_keeps_the_rest(client):
    response = client.post(SIGNUP_URL, signup_data(password1="12345", password2="12345"))
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.text
    assert 'value="neu@example.org"' in response.text
    assert 'value="Neue Nutzerin"' in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_overlong_display_name_is_refused_and_kept(client):
    name = "x" * 10_000
    response = client.post(SIGNUP_URL, signup_data(display_name=name))
    assert response.status_code == 200
    assert "höchstens 80 Zeichen" in response.text
    assert name in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_markup_in_display_name_is_refused_and_shown_escaped(client):
    response = client.post(SIGNUP_URL, signup_data(display_name="<script>alert(1)</script>"))
    assert response.status_code == 200
    assert "ohne die Zeichen &lt; und &gt;" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_privacy_notice_must_be_accepted(client):
    data = signup_data()
    del data["accept_privacy"]
    response = client.post(SIGNUP_URL, data)
    assert response.status_code == 200
    assert "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben." in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_forged_csrf_token_gets_a_clear_page_in_german_and_saves_nothing():
    client = Client(enforce_csrf_checks=True)
    client.get(SIGNUP_URL)
    response = client.post(SIGNUP_URL, {**signup_data(), "csrfmiddlewaretoken": "forged" * 8})
    assert response.status_code == 403
    assert "Das Formular konnte nicht gesendet werden" in response.text
    assert "Nichts wurde gespeichert" in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client, citizen):
    pages = [
        client.post("/accounts/login/", {"login": citizen.email, "password": "falsch"}).text for _ in range(6)
    ]
    assert "Zu viele fehlgeschlagene Anmeldeversuche" not in pages[0]
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in pages[-1]
    # Even the right password is refused until the limit expires.
    response = client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
