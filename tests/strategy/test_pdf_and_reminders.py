"""The PDF generated from the text, and the reminders of the cycle's phases."""

import pytest
from django.urls import reverse

from geraportal.notifications.models import Notification
from geraportal.strategy import reminders, services
from geraportal.strategy.models import Phase, StrategyEdition, StrategyReminder
from geraportal.strategy.pdf import edition_generate_pdf, weasyprint_installed
from tests.notifications.delivery import fan_out_events

from .conftest import set_phase

pytestmark = pytest.mark.django_db


def test_the_pdf_is_generated_from_the_text(base_edition, settings, tmp_path):
    if not weasyprint_installed():
        pytest.skip("WeasyPrint is not installed")
    settings.MEDIA_ROOT = tmp_path
    StrategyEdition.objects.filter(pk=base_edition.pk).update(pdf_requested_at="2026-06-01T10:00:00Z")
    assert edition_generate_pdf(edition_id=base_edition.pk)
    base_edition.refresh_from_db()
    assert base_edition.pdf_requested_at is None and base_edition.pdf_error == ""
    assert base_edition.pdf.read(5) == b"%PDF-"
    assert base_edition.download == base_edition.pdf


def test_making_a_pdf_leaves_pillows_truncated_image_check_on(base_edition, settings, tmp_path):
    """WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on when imported; image cleaning needs it off."""
    if not weasyprint_installed():
        pytest.skip("WeasyPrint is not installed")
    from PIL import ImageFile

    settings.MEDIA_ROOT = tmp_path
    edition_generate_pdf(edition_id=base_edition.pk)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_pdf_fetches_nothing(base_edition):
    if not weasyprint_installed():
        pytest.skip("WeasyPrint is not installed")
    from geraportal.strategy.models import Section

    Section.objects.filter(edition=base_edition).update(
        body_html_de='<p><img src="file:///etc/passwd" alt="x"><img src="http://example.org/" alt="y"></p>'
    )
    from geraportal.strategy.pdf import render_pdf

    assert render_pdf(base_edition).startswith(b"%PDF-")  # rendered, the images left out


def test_a_failing_generation_is_shown_to_staff_not_raised(base_edition, monkeypatch, client, team_member):
    def broken(edition):
        raise OSError("Pango fehlt")

    monkeypatch.setattr("geraportal.strategy.pdf.render_pdf", broken)
    assert not edition_generate_pdf(edition_id=base_edition.pk)
    client.force_login(team_member)
    response = client.get(reverse("strategy:pdf_status", kwargs={"year": base_edition.year}))
    assert "Pango fehlt" in response.text


def test_while_the_pdf_is_generated_the_status_polls_itself(base_edition, client, team_member):
    StrategyEdition.objects.filter(pk=base_edition.pk).update(pdf_requested_at=base_edition.published_at)
    base_edition.refresh_from_db()
    client.force_login(team_member)
    response = client.get(reverse("strategy:pdf_status", kwargs={"year": base_edition.year}))
    # (The clock is not frozen: an old request counts as stale and stops polling.)
    assert 'role="status"' in response.text


@pytest.mark.usefixtures("clock")
def test_each_working_phase_reminds_its_people_once(update, team_member, moderator, strategy_member):
    from django.utils import timezone

    today = timezone.localdate()
    set_phase(update, Phase.CONSULTATION)
    assert reminders.phase_reminders_send(today=today) == []
    set_phase(update, Phase.REVIEW)
    assert len(reminders.phase_reminders_send(today=today)) == 1
    assert reminders.phase_reminders_send(today=today) == []  # once only
    set_phase(update, Phase.APPROVAL)
    reminders.phase_reminders_send(today=today)
    fan_out_events()
    assert set(StrategyReminder.objects.values_list("offset", flat=True)) == {"review", "approval"}
    keys = set(Notification.objects.values_list("recipient__email", "event_key"))
    assert (moderator.email, f"strategy.phase:{update.pk}:review") in keys
    assert (strategy_member.email, f"strategy.phase:{update.pk}:approval") in keys
    assert (moderator.email, f"strategy.phase:{update.pk}:approval") not in keys


def test_publishing_requests_the_pdf(
    update, team_member, strategy_member, django_capture_on_commit_callbacks
):
    set_phase(update, Phase.APPROVED)
    with django_capture_on_commit_callbacks() as callbacks:
        services.edition_publish(edition=update, by=team_member)
    assert callbacks  # the fan-out and the PDF request run after commit
