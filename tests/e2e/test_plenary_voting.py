"""Voting in a real browser: ballot, confirmation, receipt; results accessible."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pilots.models import Pilot
from plenary import services
from plenary.models import Attendee, Ballot, Meeting, Poll, PollOption, SealedBallot
from tests.accounts.factories import PASSWORD, UserFactory
from tests.plenary.conftest import PASSPHRASE
from workgroups.models import WorkingGroup

from .conftest import axe_violations


def login(page, user):
    page.goto(reverse("account_login"))
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")


@pytest.fixture
def draft_poll(db):
    group = WorkingGroup.objects.get(slug="energie-umwelt")
    meeting = Meeting.objects.create(
        title="Plenum 2026", slug="plenum-2026", starts_at=timezone.now() + timedelta(days=1), place="Rathaus"
    )
    poll = Poll.objects.create(
        meeting=meeting, title="Priorisierung 2026", method="points", points_budget=5, points_cap=3,
        eligibility="attendees", secret=True,
    )  # fmt: skip
    for i, title in enumerate(["Autarke Solarleuchte", "Smarte Müllentsorgung", "Mobilitätsinsel"]):
        pilot = Pilot.objects.create(
            title=title, slug=f"p{i}", summary="…", working_group=group, status="proposed"
        )
        PollOption.objects.create(poll=poll, pilot=pilot, position=i)
    voter = UserFactory(display_name="Vera Wählerin")
    Attendee.objects.create(meeting=meeting, user=voter)
    return poll, voter


@pytest.fixture
def open_poll(draft_poll):
    poll, voter = draft_poll
    services.poll_set_key(poll=poll, passphrase=PASSPHRASE, by=None)
    return services.poll_open(poll=poll), voter


@pytest.mark.django_db(transaction=True)
def test_voter_distributes_points_confirms_and_gets_a_receipt(page, open_poll):
    poll, voter = open_poll
    login(page, voter)
    page.goto(poll.get_absolute_url())
    assert axe_violations(page) == []
    page.get_by_label("Autarke Solarleuchte").fill("3")
    page.get_by_label("Smarte Müllentsorgung").fill("3")
    page.get_by_role("button", name="Stimmzettel prüfen").click()
    # Over the budget: refused, the numbers stay, the vote is still available.
    expect(page.get_by_text("Sie haben 6 Punkte vergeben; Sie haben 5.")).to_be_visible()
    assert page.get_by_label("Autarke Solarleuchte").input_value() == "3"
    page.get_by_label("Smarte Müllentsorgung").fill("2")
    page.get_by_role("button", name="Stimmzettel prüfen").click()
    expect(page.get_by_text("Ihr Stimmzettel wurde noch nicht gezählt.")).to_be_visible()
    assert axe_violations(page) == []
    assert not SealedBallot.objects.exists()
    page.get_by_role("button", name="Stimmzettel abgeben").click()
    # The answer is the receipt page; the poll's page then shows the receipt code too.
    expect(page.get_by_role("heading", name="Ihre Quittung")).to_be_visible()
    expect(page.get_by_text("Ihr Stimmzettel wurde gezählt.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Zurück zur Abstimmung").click()
    expect(page.get_by_text("Sie haben abgestimmt.")).to_be_visible()
    assert axe_violations(page) == []  # the hash on the green notice keeps its contrast
    assert SealedBallot.objects.count() == 1 and not Ballot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_published_result_is_accessible(page, open_poll):
    poll, voter = open_poll
    option = poll.options.first()
    services.ballot_cast(poll=poll, user=voter, choices={option.pk: 3}, submission_key="k")
    services.poll_close(poll=poll)
    services.poll_count(poll=poll, passphrase=PASSPHRASE, by=None)
    services.poll_publish(poll=poll, by=None)
    page.goto(poll.get_absolute_url())
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_role("img", name="Ergebnis je Vorschlag")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(reverse("plenary:list"))
    assert axe_violations(page) == []


def de(text: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("de"):
        return gettext(text)


@pytest.mark.django_db(transaction=True)
def test_secret_poll_from_passphrase_to_published_hash(browser, live_server, draft_poll):
    """An officer opens with a passphrase, a member votes and keeps the hash, the officer
    counts with the passphrase and publishes, the voter finds the hash in the list."""
    from geraportal.accounts.roles import SMARTCITY_TEAM
    from tests.accounts.factories import give_mfa

    poll, voter = draft_poll
    officer = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM], display_name="Olga Offizierin")
    give_mfa(officer)
    officer_context = browser.new_context(base_url=live_server.url, locale="de-DE")
    officer_context.set_default_timeout(15_000)
    officer_page = officer_context.new_page()
    voter_context = browser.new_context(base_url=live_server.url, locale="de-DE")
    voter_context.set_default_timeout(15_000)
    voter_page = voter_context.new_page()
    try:
        # The officer opens the poll with a passphrase.
        officer_context.add_cookies([_session_cookie(officer, live_server.url)])
        officer_page.goto(poll.get_absolute_url())
        officer_page.get_by_role("link", name="Abstimmung öffnen").click()
        expect(officer_page.get_by_text(de("A lost passphrase cannot be recovered"))).to_be_visible()
        assert axe_violations(officer_page) == []
        officer_page.locator("#id_passphrase").fill("zu kurz")
        officer_page.locator("#id_passphrase_again").fill("zu kurz")
        officer_page.locator("#id_understood").check()
        officer_page.get_by_role("button", name=de("Set the passphrase and open the poll")).click()
        expect(officer_page.locator("#error-summary")).to_be_visible()
        assert axe_violations(officer_page) == []
        officer_page.locator("#id_passphrase").fill(PASSPHRASE)
        officer_page.locator("#id_passphrase_again").fill(PASSPHRASE)
        officer_page.locator("#id_understood").check()
        officer_page.get_by_role("button", name=de("Set the passphrase and open the poll")).click()
        expect(officer_page.get_by_role("button", name="Abstimmung schließen")).to_be_visible()
        assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN

        # A member votes and gets a receipt with the hash of the sealed ballot.
        login(voter_page, voter)
        voter_page.goto(poll.get_absolute_url())
        voter_page.get_by_label("Mobilitätsinsel").fill("3")
        voter_page.get_by_label("Autarke Solarleuchte").fill("1")
        voter_page.get_by_role("button", name="Stimmzettel prüfen").click()
        voter_page.get_by_role("button", name="Stimmzettel abgeben").click()
        expect(voter_page.get_by_text("Ihr Stimmzettel wurde gezählt.")).to_be_visible()
        digest = voter_page.locator("#ballot-hash").inner_text().strip()
        assert digest == SealedBallot.objects.get().digest and len(digest) == 64

        # The officer closes, counts with the passphrase and publishes.
        officer_page.get_by_role("button", name="Abstimmung schließen").click()
        officer_page.get_by_role("link", name=de("Count the ballots")).click()
        assert axe_violations(officer_page) == []
        officer_page.locator("#id_passphrase").fill("eine ganz falsche Passphrase")
        officer_page.get_by_role("button", name=de("Count the ballots")).click()
        expect(officer_page.locator("#error-summary")).to_contain_text(
            de("This passphrase does not open this poll's ballots.")
        )
        officer_page.locator("#id_passphrase").fill(PASSPHRASE)
        officer_page.get_by_role("button", name=de("Count the ballots")).click()
        officer_page.get_by_role("button", name="Ergebnis veröffentlichen").click()
        expect(officer_page.get_by_role("table").first).to_be_visible()
        assert Poll.objects.get(pk=poll.pk).status == Poll.Status.PUBLISHED

        # The result is published; the voter finds their hash in the list.
        voter_page.goto(poll.get_absolute_url())
        expect(voter_page.get_by_role("cell", name="3").first).to_be_visible()
        voter_page.get_by_role("link", name=de("Check that it was counted")).click()
        expect(voter_page.get_by_text(de("Found: this sealed ballot was counted."))).to_be_visible()
        expect(voter_page.locator("ol li", has_text=digest)).to_have_count(1)
        assert axe_violations(voter_page) == []
    finally:
        officer_context.close()
        voter_context.close()


def _session_cookie(user, base_url: str) -> dict:
    """Log the officer in without the two-factor step, which the accounts tests cover."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
