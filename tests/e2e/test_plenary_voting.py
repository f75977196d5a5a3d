"""Voting in a real browser: ballot, confirmation, receipt; results accessible."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pilots.models import Pilot
from plenary import services
from plenary.models import Attendee, Ballot, Meeting, Poll, PollOption
from tests.accounts.factories import PASSWORD, UserFactory
from workgroups.models import WorkingGroup

from .conftest import axe_violations


def login(page, user):
    page.goto(reverse("account_login"))
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")


@pytest.fixture
def open_poll(db):
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
    assert not Ballot.objects.exists()
    page.get_by_role("button", name="Stimmzettel abgeben").click()
    expect(page.get_by_text("Ihr Stimmzettel wurde gezählt.")).to_be_visible()
    expect(page.get_by_text("Sie haben abgestimmt.")).to_be_visible()
    assert Ballot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_published_result_is_accessible(page, open_poll):
    poll, voter = open_poll
    option = poll.options.first()
    services.ballot_cast(poll=poll, user=voter, choices={option.pk: 3}, submission_key="k")
    services.poll_close(poll=poll)
    services.poll_publish(poll=poll, by=None)
    page.goto(poll.get_absolute_url())
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_role("img", name="Wert je Vorschlag")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(reverse("plenary:list"))
    assert axe_violations(page) == []
