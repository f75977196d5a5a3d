"""Pilot cards come from the fragment cache; a change of anything a card shows appears on the
next view of the list and the home page all the same (their keys are made of what they show)."""

import datetime
import re

import pytest

from geraportal.districts.models import District
from pilots.models import Milestone, Pilot
from workgroups.models import WorkingGroup

from .factories import MilestoneFactory, PilotFactory

pytestmark = pytest.mark.django_db


def _cards(page: str) -> str:
    """The pilot cards of a page, nothing else (its filters name every group and status too)."""
    return "".join(re.findall(r'<article class="card pilot-card.*?</article>', page, re.S))


def _shown(client, text: str) -> bool:
    pages = [client.get("/pilots/").content.decode(), client.get("/").content.decode()]
    return all(text in _cards(page) for page in pages)


def test_every_value_on_a_pilot_card_shows_its_change(client):
    pilot = PilotFactory(title="Luftmessung Innenstadt", status=Pilot.Status.IMPLEMENTATION)
    assert _shown(client, "Luftmessung Innenstadt")  # rendered and kept

    row = Pilot.objects.filter(pk=pilot.pk)
    group_row = WorkingGroup.objects.filter(pk=pilot.working_group_id)
    changes = [
        (lambda: row.update(title="Luftmessung Altstadt"), "Luftmessung Altstadt"),
        (lambda: row.update(summary="Neue Sensoren am Markt."), "Neue Sensoren am Markt."),
        (lambda: row.update(status=Pilot.Status.COMPLETED), "abgeschlossen"),
        (lambda: group_row.update(name_de="Klima & Co"), "Klima &amp; Co"),
        (lambda: row.update(slug="luft-neu"), "/pilots/luft-neu/"),
    ]
    for change, expected in changes:
        change()
        assert _shown(client, expected), expected

    assert _shown(client, "ganze Stadt")
    district = District.objects.first()
    pilot.districts.add(district)
    assert _shown(client, district.name)
    District.objects.filter(pk=district.pk).update(name="Neu-Lusan")
    assert _shown(client, "Neu-Lusan")

    first = MilestoneFactory(pilot=pilot)
    MilestoneFactory(pilot=pilot)
    assert _shown(client, "0 von 2 Meilensteinen erreicht")
    Milestone.objects.filter(pk=first.pk).update(done_date=datetime.date(2026, 5, 1))
    assert _shown(client, "Fortschritt: 50 %")


def test_a_card_follows_the_language(client):
    PilotFactory(title="Luftmessung", status=Pilot.Status.COMPLETED)
    assert 'pilot-status-completed">abgeschlossen<' in _cards(client.get("/pilots/").content.decode())
    client.cookies["django_language"] = "en"
    assert 'pilot-status-completed">completed<' in _cards(client.get("/pilots/").content.decode())


def test_every_value_of_a_timeline_entry_shows_its_change(client):
    """Timeline entries come from the fragment cache too (issue 16): a change of anything an
    entry shows appears on the next view of the pilot's page."""
    from pilots.models import PilotStatusChange, PilotUpdate

    from .factories import PilotUpdateFactory, StatusChangeFactory

    pilot = PilotFactory(title="Luftmessung", slug="luftmessung", status=Pilot.Status.APPROVED)
    change = StatusChangeFactory(
        pilot=pilot,
        from_status="selected",
        to_status="approved",
        note="Einstimmig.",
        council_date=datetime.date(2026, 2, 24),
        council_resolution="DS 2026/7",
    )
    update = PilotUpdateFactory(pilot=pilot, title="Sensoren bestellt")
    url = pilot.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Sensoren bestellt" in page and "DS 2026/7" in page  # rendered and kept

    change_row = PilotStatusChange.objects.filter(pk=change.pk)
    update_row = PilotUpdate.objects.filter(pk=update.pk)
    changes = [
        (lambda: update_row.update(title="Sensoren geliefert"), "Sensoren geliefert"),
        (lambda: update_row.update(body_html="<p>Zwölf Stück.</p>"), "<p>Zwölf Stück.</p>"),
        (
            lambda: update_row.update(published_at=datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)),
            "2. März 2026",
        ),
        (lambda: change_row.update(note="Mit großer Mehrheit."), "Mit großer Mehrheit."),
        (lambda: change_row.update(to_status="rejected"), "abgelehnt"),
        (lambda: change_row.update(council_resolution="DS 2026/8"), "DS 2026/8"),
        (lambda: change_row.update(council_date=datetime.date(2026, 3, 10)), "10. März 2026"),
        (
            lambda: update_row.update(image="pilots/updates/sensoren.jpg", image_alt="Sensoren am Mast"),
            f'/pilots/luftmessung/updates/{update.pk}/image/" alt="Sensoren am Mast"',
        ),
        (lambda: update_row.update(image_alt="Zwölf Sensoren am Mast"), 'alt="Zwölf Sensoren am Mast"'),
        (
            lambda: Pilot.objects.filter(pk=pilot.pk).update(slug="luft-neu"),
            f"/pilots/luft-neu/updates/{update.pk}/image/",
        ),
    ]
    for apply, expected in changes:
        apply()
        url = Pilot.objects.get(pk=pilot.pk).get_absolute_url()
        assert expected in client.get(url).content.decode(), expected
