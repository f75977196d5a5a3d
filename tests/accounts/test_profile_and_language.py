import pytest
from django.urls import reverse

from geraportal.districts.models import District


@pytest.mark.django_db
def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_user_edits_profile(client, citizen):
    client.force_login(citizen)
    hain = District.objects.get(name="Hain")
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Anna B.", "district": hain.pk, "language": "en"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.display_name, citizen.district, citizen.language) == ("Anna B.", hain, "en")
    # The chosen language applies from the next page on.
    page = client.get(reverse("accounts:profile"))
    assert '<html lang="en">' in page.text
    assert "Your profile has been saved." in page.text


@pytest.mark.django_db
def test_invalid_profile_keeps_what_was_typed(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Anna <b>", "district": "999999", "language": "fr"}
    )
    assert response.status_code == 200
    assert "Anna &lt;b&gt;" in response.text
    assert "gültige Auswahl" in response.text
    citizen.refresh_from_db()
    assert citizen.display_name == "Anna Beispiel"


@pytest.mark.django_db
def test_language_switch_for_visitors_sets_a_cookie(client):
    response = client.post(reverse("language_switch"), {"language": "en", "next": "/impressum/"})
    assert response.status_code == 302
    assert response["Location"] == "/impressum/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/impressum/").text


@pytest.mark.django_db
def test_language_switch_remembers_the_choice_in_the_profile(client, citizen):
    client.force_login(citizen)
    client.post(reverse("language_switch"), {"language": "en", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.language == "en"


@pytest.mark.django_db
def test_unknown_language_code_is_refused_with_a_message(client):
    response = client.post(reverse("language_switch"), {"language": "xx", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert "Diese Sprache ist nicht verfügbar" in response.text
    assert "django_language" not in client.cookies


@pytest.mark.django_db
def test_language_switch_never_redirects_to_another_host(client):
    response = client.post(reverse("language_switch"), {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_logged_in_users_language_wins_over_the_cookie(client, citizen):
    citizen.language = "en"
    citizen.save()
    client.force_login(citizen)
    client.cookies["django_language"] = "de"
    assert '<html lang="en">' in client.get("/").text
