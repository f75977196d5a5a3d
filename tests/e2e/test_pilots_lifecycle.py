"""Pilot projects in a real browser: staff move a pilot to completion; the citizen behind it is told."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from geraportal.accounts.roles import SMARTCITY_TEAM
from pilots.models import Milestone, Pilot, PilotStatusChange
from tests.accounts.factories import PASSWORD, UserFactory, give_mfa
from tests.ideas.factories import IdeaFactory
from workgroups.models import WorkingGroup

from .conftest import axe_violations


def _log_in_with_session(page, live_server, user):
    """Staff have two-factor auth: log in through a session the test client made."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _log_in(page, user):
    page.goto(reverse("account_login"))
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")


@pytest.fixture
def approved_pilot(transactional_db):
    author = UserFactory(display_name="Ida Ideengeberin")
    idea = IdeaFactory(author=author, title="Solarbänke im Hofwiesenpark")
    pilot = Pilot.objects.create(
        title="Autarke Solarleuchte",
        slug="autarke-solarleuchte",
        summary="Eine Leuchte, die ihren Strom selbst erzeugt.",
        working_group=WorkingGroup.objects.get(slug="energie-umwelt"),
        status="approved",
        council_date=datetime.date(2021, 2, 24),
        council_resolution="DS 2021/110",
    )
    pilot.source_ideas.add(idea)
    Milestone.objects.create(pilot=pilot, title="Ausschreibung veröffentlicht")
    return pilot, author


@pytest.mark.django_db(transaction=True)
def test_staff_move_a_pilot_to_completed_and_the_citizen_sees_it(page, live_server, approved_pilot):
    pilot, author = approved_pilot
    team = UserFactory(display_name="Dana Team", roles=[SMARTCITY_TEAM], is_staff=True)
    give_mfa(team)
    _log_in_with_session(page, live_server, team)

    page.goto(pilot.get_absolute_url())
    for label in ("in Ausschreibung", "in Umsetzung", "abgeschlossen"):
        page.get_by_role("link", name=f"Status ändern in „{label}“").click()
        page.get_by_role("button", name=f"Status ändern in „{label}“").click()
        page.wait_for_url(f"**{pilot.get_absolute_url()}")
        assert page.get_by_role("alert").filter(has_text=label).count() or page.get_by_text(label).count()
    assert list(PilotStatusChange.objects.filter(pilot=pilot).values_list("to_status", flat=True)) == [
        "tendering",
        "implementation",
        "completed",
    ]
    timeline = page.locator("#timeline + ol")
    assert timeline.get_by_text("Status: abgeschlossen").is_visible()
    assert timeline.get_by_text("Status: in Ausschreibung").is_visible()

    page.context.clear_cookies()
    _log_in(page, author)
    section = page.locator("section", has=page.get_by_role("heading", name="Pilotprojekte aus meinen Ideen"))
    assert section.get_by_role("link", name="Autarke Solarleuchte").is_visible()
    assert section.get_by_text("abgeschlossen").is_visible()
    bell = page.get_by_role("link", name="Benachrichtigungen")
    assert "ungelesen" in bell.inner_text()
    bell.click()
    expect(page.get_by_text("Autarke Solarleuchte").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_overview_board_and_detail_have_no_wcag_violations(page, approved_pilot):
    pilot, _ = approved_pilot
    Pilot.objects.create(
        title="Digitaler Stadtrundgang",
        slug="digitaler-stadtrundgang",
        summary="Eine App führt zu Orten der Stadtgeschichte.",
        working_group=WorkingGroup.objects.get(slug="bildung-kultur"),
        status="proposed",
    )
    for url in (reverse("pilots:list"), reverse("pilots:board"), pilot.get_absolute_url()):
        page.goto(url)
        assert axe_violations(page) == [], url


@pytest.mark.django_db(transaction=True)
def test_board_is_stacked_on_a_phone(phone_page, approved_pilot):
    phone_page.goto(reverse("pilots:board"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    columns = phone_page.locator(".pilot-board-column")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"] - 1
