"""A citizen submits an idea with an image and a location, another supports and comments,
a moderator declines it with a reason, and the author reads the reason."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations
from tests.paths import TESTDATA

PHOTO = TESTDATA / "photo-with-gps.jpg"
if not PHOTO.is_file():
    PHOTO = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photo-with-gps.jpg"


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/profile/")


def _log_out(page):
    page.get_by_role("button", name="Abmelden").click()


@pytest.mark.django_db(transaction=True)
def test_submit_support_comment_decline_and_the_author_reads_the_reason(page):
    from geraportal.notifications.models import Notification
    from ideas.models import Idea
    from workgroups.models import Membership, WorkingGroup

    group = WorkingGroup.objects.get(slug="energie-umwelt")
    UserFactory(email="anna@example.org", display_name="Anna Beispiel")
    UserFactory(email="bernd@example.org", display_name="Bernd Nachbar")
    moderator = UserFactory(email="mod@example.org", display_name="Clara Moderation")
    Membership.objects.create(group=group, user=moderator, role="moderator")

    _log_in(page, "anna@example.org")
    page.goto("/ideas/new/")
    assert axe_violations(page) == []
    page.locator("#id_title").fill("Solarbänke im Hofwiesenpark")
    page.locator("#id_body").fill("Bänke mit **Ladestation** für Handy und E-Bike.")
    page.locator("#id_theme").select_option(label=group.name_de)
    page.locator("#id_location_text").fill("Hofwiesenpark")
    page.locator("#id_latitude").fill("50.884310")
    page.locator("#id_longitude").fill("12.071520")
    page.locator("#id_image").set_input_files(str(PHOTO))
    page.locator("#id_image_alt").fill("Ein Park mit Bänken im Sommer")
    page.get_by_role("button", name="Vorschau").click()
    expect(page.get_by_role("heading", name="Vorschau – so wird Ihre Idee aussehen")).to_be_visible()
    assert page.locator(".idea-preview strong").inner_text() == "Ladestation"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Idee veröffentlichen").first.click()
    page.wait_for_url("**/ideas/*-solarbanke-im-hofwiesenpark/")
    idea = Idea.objects.get()
    assert idea.image and idea.is_located
    expect(page.get_by_role("img", name="Ein Park mit Bänken im Sommer")).to_be_visible()
    assert axe_violations(page) == []
    _log_out(page)

    _log_in(page, "bernd@example.org")
    page.goto(idea.get_absolute_url())
    page.get_by_role("button", name="Diese Idee unterstützen").click()
    page.get_by_role("button", name="Sie unterstützen diese Idee – Unterstützung zurückziehen").wait_for()
    assert "1 Unterstützung" in page.locator("#support-count").inner_text()
    assert "1 Unterstützungen" in page.locator("#support-live").inner_text()
    page.locator("#id_comment_body").fill("Tolle Idee, die Bänke würde ich nutzen!")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    page.get_by_text("Tolle Idee, die Bänke würde ich nutzen!").wait_for()
    _log_out(page)

    _log_in(page, "mod@example.org")
    page.goto(idea.get_absolute_url())
    page.get_by_role("link", name="Idee ablehnen").click()
    page.get_by_label("Begründung").fill(
        "Der Park wird 2027 neu gestaltet; die Idee geht in die Planung ein."
    )
    page.get_by_role("button", name="Idee ablehnen").click()
    page.wait_for_url(f"**{idea.get_absolute_url()}")
    _log_out(page)

    _log_in(page, "anna@example.org")
    page.goto(idea.get_absolute_url())
    expect(page.get_by_text("Der Park wird 2027 neu gestaltet")).to_be_visible()
    assert "abgelehnt" in page.locator(".status-badge").inner_text()
    assert Notification.objects.filter(recipient__email="anna@example.org", kind="idea_status").exists()


@pytest.mark.django_db(transaction=True)
def test_idea_list_with_filters_has_no_wcag_violations(page):
    from tests.ideas.factories import IdeaFactory

    IdeaFactory(title="Trinkbrunnen am Markt")
    page.goto("/ideas/?sort=supported&theme=energie-umwelt")
    expect(page.get_by_text("Trinkbrunnen am Markt")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/ideas/competitions/")
    assert axe_violations(page) == []
