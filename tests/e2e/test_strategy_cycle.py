"""The strategy update in a real browser: the team drafts, a citizen proposes a change to a
selected passage, the working group recommends, the team decides with a reason, the strategy
group approves, the edition is published and the diff shows the change with its reason.

The browser speaks English here: the strategy's strings are new and their German translations
come with the next catalogue update; the English catalogue translates every string to itself.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from geraportal.strategy.models import StrategyEdition, Suggestion
from tests.accounts.factories import UserFactory, give_mfa
from tests.strategy.conftest import published_edition
from workgroups.models import Membership, WorkingGroup

from .conftest import axe_violations


def _as(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_whole_update_cycle(english_page, live_server):
    page = english_page
    published_edition(2025)
    team = UserFactory(display_name="Dana Team", roles=[SMARTCITY_TEAM], is_staff=True, language="en")
    give_mfa(team)
    chair = UserFactory(display_name="Stella Strategie", roles=[STRATEGY_GROUP], language="en")
    give_mfa(chair)
    citizen = UserFactory(display_name="Anna Beispiel", language="en")
    moderator = UserFactory(display_name="Mo Moderatorin", language="en")
    Membership.objects.create(
        group=WorkingGroup.objects.get(slug="wirtschaft"), user=moderator, role=Membership.Role.MODERATOR
    )

    # The team starts the 2026 update: the 2025 text is copied; it rewrites a sentence.
    _as(page, live_server, team)
    page.goto("/staff/strategy/")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Title").fill("Fortschreibung 2026")
    page.get_by_label("Summary").fill("Entwurf der Fortschreibung.")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url("**/staff/strategy/2026/")
    page.locator("#abschnitt-wirtschaft").get_by_role("link", name="Edit").click()
    body = page.get_by_label("Text (German)")
    body.fill(body.input_value().replace("Der Mittelstand ist", "Das Handwerk ist"))
    page.get_by_label("What changed and why").fill("Handwerk ergänzt")
    page.get_by_role("button", name="Save section").click()
    page.wait_for_url("**/staff/strategy/2026/**")
    page.get_by_role("button", name="End the phase").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert")).first).to_contain_text("public consultation")

    # A citizen selects a passage in the text and proposes new wording with a reason.
    _as(page, live_server, citizen)
    page.goto("/strategy/2026/")
    page.locator("#abschnitt-wirtschaft").get_by_role("link", name="Comment or propose a change").click()
    page.wait_for_url("**/vorschlagen/")
    page.wait_for_load_state()
    page.evaluate(
        """() => {
            const box = document.querySelector('[data-strategy-text] p');
            const node = box.firstChild;
            const start = node.textContent.indexOf('an einer Stelle');
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + 'an einer Stelle'.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }"""
    )
    expect(page.get_by_label("Passage", exact=True)).to_have_value("an einer Stelle")
    page.get_by_label("Your wording").fill("an einer Stelle und im digitalen Bürgerbüro")
    page.get_by_label("Reason or comment").fill("Viele Betriebe erledigen alles vom Telefon aus.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publish suggestion").click()
    expect(page.get_by_text("Viele Betriebe erledigen alles vom Telefon aus.")).to_be_visible()
    suggestion = Suggestion.objects.get()

    # The consultation ends; the working group recommends after its discussion.
    _as(page, live_server, team)
    page.goto("/staff/strategy/2026/")
    page.get_by_role("button", name="End the phase").click()
    _as(page, live_server, moderator)
    page.goto("/strategy/2026/pruefung/wirtschaft/")
    form = page.get_by_role("form", name=f"Recommendation on suggestion #{suggestion.pk}")
    form.get_by_label("accept", exact=True).check()
    form.get_by_label("Reason").fill("Die Gruppe unterstützt den Vorschlag.")
    form.get_by_role("button", name="Record the recommendation").click()
    expect(page.get_by_text("Recommendation of the working group: accept")).to_be_visible()

    # The team decides with a public reason.
    _as(page, live_server, team)
    page.goto("/staff/strategy/2026/")
    page.get_by_role("button", name="End the phase").click()
    form = page.get_by_role("form", name=f"Decision on suggestion #{suggestion.pk}")
    form.get_by_label("accept", exact=True).check()
    form.get_by_label("Public reason").fill("Digitale Wege sind Teil der Wirtschaftsförderung.")
    form.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Digitale Wege sind Teil der Wirtschaftsförderung.").first).to_be_visible()
    page.get_by_role("button", name="End the phase").click()

    # The strategy group approves; the team publishes with the council's resolution.
    _as(page, live_server, chair)
    page.goto("/staff/strategy/2026/freigabe/")
    page.get_by_role("button", name="Approve the edition").click()
    page.wait_for_url("**/strategy/2026/")
    _as(page, live_server, team)
    page.goto("/staff/strategy/2026/")
    page.get_by_label("Date of the council resolution").fill("2026-12-16")
    page.get_by_label("Resolution number").fill("DS 2026/321")
    page.get_by_role("button", name="Publish the edition").click()
    page.wait_for_url("**/strategy/2026/")
    edition = StrategyEdition.objects.get(year=2026)
    assert edition.published_at and edition.council_date == datetime.date(2026, 12, 16)

    # Anyone compares 2025 and 2026: the change is marked and linked to the suggestion.
    page.context.clear_cookies()
    page.goto("/strategy/vergleich/?old=2025&new=2026")
    diff = page.locator("#vergleich-wirtschaft")
    expect(diff.locator("ins").first).to_contain_text("inserted:")
    expect(diff.locator("del").first).to_contain_text("deleted:")
    diff.get_by_text(re.compile(r"The \d+ changes? as text")).click()
    expect(diff.get_by_role("link", name=f"suggestion #{suggestion.pk} (2026)")).to_be_visible()
    expect(diff.get_by_text("Digitale Wege sind Teil der Wirtschaftsförderung.")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/strategy/")
    expect(page.get_by_role("heading", name="Wirtschaft")).to_be_visible()
    assert axe_violations(page) == []
