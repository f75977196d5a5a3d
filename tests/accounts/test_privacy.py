"""Download my data, delete my account."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from geraportal.accounts import personal_data, services
from geraportal.districts.models import District

from .factories import PASSWORD, give_mfa

User = get_user_model()


@pytest.fixture
def registered_section():
    """A stand-in for a later app's registered part, recording what deletion asked of it."""
    calls = []
    personal_data.register(
        "test_contributions",
        export=lambda user: {"ideas": [f"Idee von {user.display_name}"]},
        erase=lambda user, *, delete_contributions: calls.append((user.pk, delete_contributions)),
    )
    yield calls
    personal_data._sections.pop("test_contributions")


@pytest.mark.django_db
def test_data_export_contains_the_account_and_every_registered_section(client, citizen, registered_section):
    citizen.district = District.objects.get(name="Lusan")
    citizen.save()
    client.force_login(citizen)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="smartcity-gera-meine-daten-')
    data = json.loads(response.content)
    assert data["account"]["email"] == citizen.email
    assert data["account"]["display_name"] == "Anna Beispiel"
    assert data["account"]["district"] == "Lusan"
    assert data["account"]["email_addresses"] == [{"email": citizen.email, "verified": True, "primary": True}]
    assert data["test_contributions"] == {"ideas": ["Idee von Anna Beispiel"]}


@pytest.mark.django_db
def test_data_export_lists_second_factors_without_their_secrets(client, citizen):
    secret = give_mfa(citizen)
    client.force_login(citizen)
    response = client.get(reverse("accounts:data_export"))
    assert json.loads(response.content)["account"]["two_factor_methods"] == ["recovery_codes", "totp"]
    assert secret not in response.text


@pytest.mark.django_db
def test_data_export_needs_login(client):
    assert client.get(reverse("accounts:data_export")).status_code == 302


@pytest.mark.django_db
def test_deleting_the_account_removes_personal_data_and_keeps_a_tombstone(
    client, citizen, registered_section
):
    give_mfa(citizen)
    other_device = Client()
    other_device.force_login(citizen)
    client.force_login(citizen)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert response.status_code == 200
    assert "Ihr Konto wurde gelöscht." in response.text
    tombstone = User.objects.get(pk=citizen.pk)
    assert tombstone.is_deleted and not tombstone.is_active
    assert tombstone.email.endswith("@deleted.invalid") and "person" not in tombstone.email
    assert tombstone.display_name == "" and tombstone.district is None
    assert not tombstone.has_usable_password()
    assert tombstone.public_name == "Gelöschte Person"
    assert not EmailAddress.objects.filter(user=tombstone).exists()
    assert not Authenticator.objects.filter(user=tombstone).exists()
    # Contributions are kept unless asked otherwise; every app was told in the same transaction.
    assert registered_section == [(citizen.pk, False)]
    # Logged out here and on the other device.
    assert "_auth_user_id" not in client.session
    assert other_device.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_deleting_with_contributions_passes_the_choice_to_every_app(client, citizen, registered_section):
    client.force_login(citizen)
    client.post(
        reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on", "delete_contributions": "on"}
    )
    assert registered_section == [(citizen.pk, True)]


@pytest.mark.django_db
def test_wrong_password_deletes_nothing(client, citizen, registered_section):
    client.force_login(citizen)
    response = client.post(reverse("accounts:delete"), {"password": "falsch", "confirm": "on"})
    assert response.status_code == 200
    assert "Das Passwort ist nicht korrekt." in response.text
    citizen.refresh_from_db()
    assert not citizen.is_deleted and citizen.is_active
    assert registered_section == []


@pytest.mark.django_db
def test_deletion_is_all_or_nothing(citizen):
    def failing_eraser(user, *, delete_contributions):
        raise RuntimeError("disk full")

    personal_data.register("failing", export=lambda user: None, erase=failing_eraser)
    try:
        with pytest.raises(RuntimeError):
            services.account_delete(user=citizen)
    finally:
        personal_data._sections.pop("failing")
    citizen.refresh_from_db()
    assert not citizen.is_deleted
    assert EmailAddress.objects.filter(user=citizen).exists()


@pytest.mark.django_db
def test_a_freed_email_address_can_sign_up_again(client, citizen):
    email = citizen.email
    services.account_delete(user=citizen)
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Wieder da",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email=email).display_name == "Wieder da"
