"""Rough edges a newcomer met first (issue "First impressions"): focus after htmx swaps and
after the preview, the accessibility feedback form, the logged-in header at 1280 px (one line,
the bell from the icon font, language buttons named by what they show), long German headings
on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")


def _active_element_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _wait_for_htmx_to_settle(page):
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
    page.wait_for_function("document.querySelector('#support-box form')['htmx-internal-data'] !== undefined")


@pytest.mark.django_db(transaction=True)
def test_focus_stays_on_the_support_button_after_the_swap(page):
    from tests.ideas.factories import IdeaFactory

    idea = IdeaFactory(title="Trinkbrunnen am Markt")
    UserFactory(email="bernd@example.org")
    _log_in(page, "bernd@example.org")
    page.goto(idea.get_absolute_url())

    page.get_by_role("button", name="Diese Idee unterstützen").focus()
    page.keyboard.press("Enter")
    withdraw = page.get_by_role("button", name="Sie unterstützen diese Idee – Unterstützung zurückziehen")
    expect(withdraw).to_be_focused()
    assert _active_element_id(page) == "support-button"
    expect(page.locator("#support-live")).to_contain_text("1 Unterstützungen")
    _wait_for_htmx_to_settle(page)

    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Diese Idee unterstützen")).to_be_focused()
    expect(page.locator("#support-live")).to_contain_text("nicht mehr")
    assert page.evaluate("document.activeElement !== document.body")


@pytest.mark.django_db(transaction=True)
def test_after_the_preview_focus_is_on_its_heading_and_one_tab_reaches_publish(page):
    from ideas.models import Idea
    from workgroups.models import WorkingGroup

    group = WorkingGroup.objects.get(slug="energie-umwelt")
    UserFactory(email="anna@example.org")
    _log_in(page, "anna@example.org")
    page.goto("/ideas/new/")
    page.locator("#id_title").fill("Trinkbrunnen am Markt")
    page.locator("#id_body").fill("Ein Brunnen mit Trinkwasser für heiße Tage.")
    page.locator("#id_theme").select_option(label=group.name_de)
    page.get_by_role("button", name="Vorschau").click()

    heading = page.get_by_role("heading", name="Vorschau – so wird Ihre Idee aussehen")
    expect(heading).to_be_focused()
    page.keyboard.press("Tab")
    publish = page.locator(":focus")
    expect(publish).to_have_accessible_name("Idee veröffentlichen")
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    page.wait_for_url("**/ideas/*-trinkbrunnen-am-markt/")
    assert Idea.objects.get().title == "Trinkbrunnen am Markt"


@pytest.mark.django_db(transaction=True)
def test_the_accessibility_feedback_form_explains_mistakes_and_thanks(page):
    from geraportal.pages.models import AccessibilityFeedback

    page.goto("/barrierefreiheit/")
    page.get_by_label("Ihr Name (freiwillig)").fill("Eva Muster")
    page.get_by_label("Ihre E-Mail-Adresse (freiwillig)").fill("kein-at-zeichen")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_role("alert").first).to_contain_text("Die Nachricht wurde noch nicht gesendet")
    expect(page.get_by_label("Ihr Name (freiwillig)")).to_have_value("Eva Muster")
    assert axe_violations(page) == []
    page.get_by_label("Ihre E-Mail-Adresse (freiwillig)").fill("eva@example.org")
    page.get_by_label("Ihre Nachricht (Pflichtfeld)").fill("Im Kalender fehlt eine Textalternative.")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_role("status").filter(has_text="Vielen Dank")).to_be_visible()
    assert AccessibilityFeedback.objects.get().email == "eva@example.org"
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_the_header_of_a_logged_in_person_fits_one_line_at_1280_px(page):
    from geraportal.notifications.models import Notification

    user = UserFactory(email="bernd@example.org")
    Notification.objects.create(
        recipient=user, kind="idea_comment", event_key="k", template="-", url="/", delivery="never"
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, "bernd@example.org")
    header = page.get_by_role("navigation", name="Hauptnavigation")
    bell = header.get_by_role("link", name="Benachrichtigungen 1 ungelesen")
    profile = header.get_by_role("link", name="Mein Profil (")
    # One line: no item higher than one and a half of a plain link's line (the icons stand a
    # little taller); the bell is drawn by the icon font, not an emoji.
    line = header.get_by_role("link", name="Ideen", exact=True).bounding_box()["height"]
    for item in (bell, profile, header.get_by_role("button", name="Abmelden")):
        assert item.bounding_box()["height"] < 1.5 * line, item
    font = bell.locator("i.bi-bell").evaluate("el => getComputedStyle(el, '::before').fontFamily")
    assert font.strip('"') == "bootstrap-icons"
    assert not bell.evaluate("el => /\\p{Extended_Pictographic}/u.test(el.textContent)")
    # The language buttons' names start with what they show (WCAG 2.5.3, label in name).
    expect(page.get_by_role("link", name="DE – Deutsch")).to_have_text(re.compile(r"^\s*DE"))
    expect(page.get_by_role("link", name="EN – English")).to_have_attribute("hreflang", "en")
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_long_german_headings_break_at_syllables_on_a_phone(phone_page):
    UserFactory(email="bernd@example.org")
    _log_in(phone_page, "bernd@example.org")
    phone_page.goto("/notifications/preferences/")
    heading = phone_page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Benachrichtigungseinstellungen")
    assert phone_page.locator("html").get_attribute("lang") == "de"
    expect(heading).to_have_css("hyphens", "auto")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
