"""axe-core finds no WCAG 2.1 A/AA violation; pages work on a 360-px-wide phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory

from .conftest import axe_violations

PUBLIC_PAGES = [
    "pages:home",
    "pages:strategy",
    "pages:contact",
    "pages:imprint",
    "pages:privacy",
    "pages:accessibility",
    "pages:easy_language",
    "account_login",
    "account_signup",
    "account_reset_password",
    "workgroups:list",
]


@pytest.mark.django_db(transaction=True)
def test_public_pages_have_no_wcag_violations_in_german_and_english(page, live_server):
    for language in ("de", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for name in PUBLIC_PAGES:
            page.goto(reverse(name))
            assert page.locator("html").get_attribute("lang") == language
            violations = axe_violations(page)
            assert violations == [], f"{name} ({language}):\n" + "\n".join(violations)


@pytest.mark.django_db(transaction=True)
def test_profile_and_form_errors_have_no_wcag_violations(page, live_server):
    user = UserFactory(email="axe@example.org")
    page.goto(reverse("account_login"))
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill("ein-sicheres-Passwort-2026")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")
    assert axe_violations(page) == []
    # A form with errors, as a screen-reader user would meet it.
    page.get_by_label("Anzeigename").fill("<b>")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert axe_violations(page) == []
    page.goto(reverse("accounts:delete"))
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_the_account_menu_is_compact_on_a_phone_and_in_the_portal_colours(phone_page):
    user = UserFactory(email="axe@example.org")
    phone_page.goto(reverse("account_login"))
    phone_page.get_by_label("E-Mail").fill(user.email)
    phone_page.get_by_label("Passwort").fill("ein-sicheres-Passwort-2026")
    phone_page.get_by_role("button", name="Anmelden").click()
    phone_page.wait_for_url("**/accounts/profile/")
    menu = phone_page.get_by_role("navigation", name="Konto")
    # Folded: only the "Account" button, and the profile form is on the first screen.
    expect(menu.get_by_role("link", name="Passwort")).to_be_hidden()
    assert phone_page.get_by_label("Anzeigename").bounding_box()["y"] < 740
    assert axe_violations(phone_page) == []
    toggle = menu.get_by_role("button", name="Konto")
    toggle.focus()
    phone_page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    active = menu.get_by_role("link", name="Profil und Daten")
    expect(active).to_have_attribute("aria-current", "page")
    expect(active).to_have_css("background-color", "rgb(11, 79, 138)")
    # Focused, the button turns blue on white; axe must not sample it halfway through the fade.
    expect(toggle).to_have_css("color", "rgb(255, 255, 255)")
    assert axe_violations(phone_page) == []
    menu.get_by_role("link", name="Passwort").click()
    phone_page.wait_for_url("**/password/change/")


@pytest.mark.django_db(transaction=True)
def test_pages_fit_a_360_px_phone_and_the_menu_opens(phone_page):
    for name in PUBLIC_PAGES:
        phone_page.goto(reverse(name))
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a phone"
    phone_page.goto("/")
    toggler = phone_page.get_by_role("button", name="Navigation ein- oder ausblenden")
    toggler.click()
    phone_page.get_by_role("link", name="Arbeitsgruppen", exact=True).click()
    phone_page.wait_for_url("**/workgroups/")


@pytest.mark.django_db(transaction=True)
def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    expect(page.get_by_text("Zum Inhalt springen")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_loaded_from_other_hosts(page, live_server):
    foreign = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else foreign.append(request.url),
    )
    for name in PUBLIC_PAGES:
        page.goto(reverse(name))
    assert foreign == []
