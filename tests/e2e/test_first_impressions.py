"""Rough edges a newcomer met first (issue "First impressions"): focus after htmx swaps and
after the preview, the plenary results on a phone, the account menu on a phone."""

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
