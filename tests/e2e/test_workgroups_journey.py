"""A citizen joins a working group, takes part in a private discussion and fetches a meeting."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations

URL = "/workgroups/energie-umwelt/"


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")


def _log_out(page):
    page.get_by_role("button", name="Abmelden").click()


@pytest.mark.django_db(transaction=True)
def test_citizen_joins_posts_privately_and_downloads_a_meeting(page, tmp_path, settings):
    from workgroups.models import Membership, Post, WorkingGroup
    from workgroups.services import ThreadData, thread_create

    from ..workgroups.factories import MeetingFactory

    settings.WORKGROUPS_DOCUMENTS_ROOT = tmp_path / "docs"
    group = WorkingGroup.objects.get(slug="energie-umwelt")
    moderator = UserFactory(email="mod@example.org", display_name="Clara Moderation")
    Membership.objects.create(group=group, user=moderator, role="moderator")
    UserFactory(email="anna@example.org", display_name="Anna Beispiel")
    UserFactory(email="otto@example.org", display_name="Otto Außen")
    thread = thread_create(
        group=group,
        author=moderator,
        data=ThreadData(title="Standorte Solarleuchten", visibility="members", body="Vorschläge bitte hier."),
    )
    meeting = MeetingFactory(group=group, visibility="members", title="Arbeitstreffen Energie")

    # A citizen asks to join.
    _log_in(page, "anna@example.org")
    page.goto(URL)
    assert "Standorte Solarleuchten" not in page.content()
    page.get_by_role("link", name="Mitgliedschaft anfragen").click()
    page.get_by_label("Warum möchten Sie mitmachen?").fill(
        "Ich wohne an der Elster und kenne die dunklen Ecken."
    )
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_text("Ihre Anfrage zur Mitgliedschaft wartet auf die Moderation.")).to_be_visible()
    _log_out(page)

    # The moderator accepts.
    _log_in(page, "mod@example.org")
    page.goto(URL)
    page.get_by_role("link", name="1 Anfrage zur Mitgliedschaft").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Anna Beispiel aufnehmen").click()
    expect(page.get_by_text("Anna Beispiel ist jetzt Mitglied.")).to_be_visible()
    _log_out(page)

    # The new member posts in the private thread.
    _log_in(page, "anna@example.org")
    page.goto(URL)
    page.get_by_role("link", name="Standorte Solarleuchten").click()
    assert axe_violations(page) == []
    page.get_by_label("Ihr Beitrag").fill("Der Weg an der **Weißen Elster** ist nachts sehr dunkel.")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Ihr Beitrag wurde veröffentlicht.")).to_be_visible()
    expect(page.locator("strong", has_text="Weißen Elster")).to_be_visible()
    assert Post.objects.filter(thread=thread, author__email="anna@example.org").exists()

    # She downloads the meeting for her calendar.
    page.goto(meeting.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="In meinen Kalender eintragen (.ics)").click()
    path = tmp_path / "termin.ics"
    download_info.value.save_as(path)
    body = path.read_bytes().decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "Arbeitstreffen Energie" in body.replace("\r\n ", "")
    thread_url = thread.get_absolute_url()
    _log_out(page)

    # A non-member cannot see the thread, not even by its address.
    _log_in(page, "otto@example.org")
    page.goto(URL)
    assert "Standorte Solarleuchten" not in page.content()
    response = page.goto(thread_url)
    assert response.status == 404
    assert "Weißen Elster" not in page.content()
