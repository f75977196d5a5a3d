"""A newcomer's whole first visit, in a real browser."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

User = get_user_model()
PASSWORD = "Gera-ist-smart-2026"


@pytest.mark.django_db(transaction=True)
def test_newcomer_signs_up_verifies_logs_in_edits_exports_and_deletes(page, mailoutbox, tmp_path):
    # Sign up.
    page.goto("/")
    page.get_by_role("link", name="Registrieren").first.click()
    page.get_by_label("E-Mail-Adresse").fill("lena@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Anzeigename").fill("Lena aus Lusan")
    page.get_by_label("Stadtteil (optional)").select_option(label="Lusan")
    page.get_by_label("Ich habe die").check()
    page.get_by_role("button", name="Registrieren").click()
    page.wait_for_url("**/accounts/confirm-email/")

    # Read the verification e-mail and follow its link.
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/accounts/profile/")

    # Log out and in again.
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("link", name="Anmelden").first.click()
    page.get_by_label("E-Mail").fill("lena@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_role("heading", name="Mein Profil")).to_be_visible()

    # Change the language.
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    assert User.objects.get(email="lena@example.org").language == "en"

    # Edit the profile.
    page.get_by_label("Display name").fill("Lena B.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    assert page.get_by_label("Display name").input_value() == "Lena B."

    # Download my data.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    path = tmp_path / "data.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text())
    assert data["account"]["email"] == "lena@example.org"
    assert data["account"]["display_name"] == "Lena B."
    assert data["account"]["district"] == "Lusan"

    # Delete the account.
    page.get_by_role("link", name="Delete my account").first.click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that my account cannot be restored.").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("Your account has been deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(email="lena@example.org").exists()
    assert User.objects.filter(deleted_at__isnull=False).count() == 1
