"""The events calendar: sources register, workshops validate, iCalendar is RFC 5545."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from geraportal.core import ical
from geraportal.pages import events
from geraportal.pages.models import Event
from tests.pages.factories import EventFactory

MARCH = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    """Parse an iCalendar document back into logical lines, checking the line rules on the way."""
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    physical = text.split("\r\n")
    assert physical[-1] == ""
    for line in physical:
        assert len(line.encode("utf-8")) <= 75
    logical: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def vevents(text: str) -> list[dict[str, str]]:
    found, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


@pytest.fixture
def plenary_source():
    def entries(start, end):
        meeting = events.CalendarEntry(
            title="Plenum 2026",
            start=datetime(2026, 3, 20, 17, 0, tzinfo=UTC),
            end=datetime(2026, 3, 20, 19, 0, tzinfo=UTC),
            location="Kultur- und Kongresszentrum",
            url="http://127.0.0.1:8000/plenary/1/",
            description="",
            uid="plenary-1@127.0.0.1",
        )
        return [meeting] if meeting.start < end and meeting.end >= start else []

    real = events._sources.get("plenary")  # the plenary app's own source, put back afterwards
    events.register("plenary", entries, label="Plenarsitzungen")
    yield
    events.unregister("plenary")
    if real is not None:
        events.register("plenary", real.entries, label=real.label)


def test_fold_never_splits_a_character_and_keeps_lines_short():
    line = "SUMMARY:" + "Ä" * 100
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


@pytest.mark.django_db
def test_registry_merges_sources_in_time_order(plenary_source):
    EventFactory(title="Sensor-Workshop", starts_at=MARCH, ends_at=MARCH + timedelta(hours=2))
    found = events.entries_between(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    assert [(e.title, e.source) for e in found] == [
        ("Sensor-Workshop", "workshops"),
        ("Plenum 2026", "plenary"),
    ]
    only = events.entries_between(
        datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC), only=["plenary"]
    )
    assert [e.title for e in only] == ["Plenum 2026"]


@pytest.mark.django_db
def test_calendar_page_lists_the_month_and_filters_by_source(client, plenary_source):
    EventFactory(title="Sensor-Workshop", starts_at=MARCH, ends_at=MARCH + timedelta(hours=2))
    EventFactory(
        title="April-Workshop", starts_at=MARCH + timedelta(days=30), ends_at=MARCH + timedelta(days=30)
    )
    text = client.get(reverse("events:list"), {"month": "2026-03"}).text
    assert "Sensor-Workshop" in text and "Plenum 2026" in text and "April-Workshop" not in text
    filtered = client.get(reverse("events:list"), {"month": "2026-03", "source": "plenary"}).text
    assert "Plenum 2026" in filtered and "Sensor-Workshop" not in filtered


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["", "2026-13", "abc", "99999-01", "2026-03-01", "-1-1"])
def test_malformed_month_shows_the_current_month(client, month):
    assert client.get(reverse("events:list"), {"month": month}).status_code == 200


@pytest.mark.django_db
def test_ical_export_parses_back_to_the_listed_events(client, plenary_source):
    EventFactory(
        title="Workshop; Sensoren, Daten\\Technik",
        description="Zeile 1\nZeile 2 " + "lang " * 30,
        starts_at=MARCH,
        ends_at=MARCH + timedelta(hours=2),
        location="Rathaus, Saal 1",
    )
    response = client.get(reverse("events:export"), {"month": "2026-03"})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    workshop, plenary = vevents(text)
    assert unescape(workshop["SUMMARY"]) == "Workshop; Sensoren, Daten\\Technik"
    assert workshop["DTSTART"] == "20260310T170000Z" and workshop["DTEND"] == "20260310T190000Z"
    assert workshop["UID"].startswith("pages-event-") and "DTSTAMP" in workshop
    assert workshop["URL"].startswith("http://127.0.0.1:8000/events/workshops/")
    assert unescape(workshop["LOCATION"]) == "Rathaus, Saal 1"
    assert unescape(workshop["DESCRIPTION"]).startswith("Zeile 1\nZeile 2")
    assert plenary["UID"] == "plenary-1@127.0.0.1"


@pytest.mark.django_db
def test_subscribable_feed_has_coming_events(client):
    EventFactory(title="Bald")
    response = client.get(reverse("events:feed"))
    assert response.status_code == 200 and "SUMMARY:Bald" in response.content.decode()


@pytest.mark.django_db
def test_workshop_page_and_its_ics(client):
    event = EventFactory(title="Smart City zum Anfassen")
    assert "Smart City zum Anfassen" in client.get(event.get_absolute_url()).text
    (only,) = vevents(client.get(reverse("events:workshop_ical", args=[event.pk])).content.decode())
    assert only["SUMMARY"] == "Smart City zum Anfassen"


@pytest.mark.django_db
def test_calendar_page_needs_a_pinned_number_of_queries(client, django_assert_num_queries):
    for day in range(10):
        EventFactory(starts_at=MARCH + timedelta(days=day), ends_at=MARCH + timedelta(days=day, hours=1))
    with django_assert_num_queries(3):
        assert client.get(reverse("events:list"), {"month": "2026-03"}).status_code == 200


@pytest.mark.django_db
def test_end_before_start_is_refused_by_form_and_database(client, team_member):
    from django.db import IntegrityError, transaction

    client.force_login(team_member)
    response = client.post(
        reverse("staff:event_create"),
        {
            "title": "Rückwärts",
            "starts_at": "2026-03-10T18:00",
            "ends_at": "2026-03-10T17:00",
            "location": "Gera",
        },
    )
    assert response.status_code == 200 and not Event.objects.exists()
    assert 'value="Rückwärts"' in response.text
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="x", starts_at=MARCH, ends_at=MARCH - timedelta(hours=1), location="Gera")


@pytest.mark.django_db
def test_event_needs_a_place_or_link(client, team_member):
    client.force_login(team_member)
    response = client.post(
        reverse("staff:event_create"),
        {"title": "Nirgendwo", "starts_at": "2026-03-10T17:00", "ends_at": "2026-03-10T18:00"},
    )
    assert response.status_code == 200 and not Event.objects.exists()


@pytest.mark.django_db
def test_staff_creates_edits_and_deletes_a_workshop(client, team_member):
    client.force_login(team_member)
    client.post(
        reverse("staff:event_create"),
        {
            "title": "Workshop Mobilität",
            "starts_at": "2026-03-10T17:00",
            "ends_at": "2026-03-10T19:00",
            "online_url": "https://meet.gera.de/mobil",
        },
    )
    event = Event.objects.get()
    assert event.created_by == team_member and event.starts_at == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    client.post(
        reverse("staff:event_edit", args=[event.pk]),
        {
            "title": "Workshop Verkehr",
            "starts_at": "2026-03-10T17:00",
            "ends_at": "2026-03-10T19:00",
            "location": "Rathaus",
        },
    )
    event.refresh_from_db()
    assert event.title == "Workshop Verkehr" and event.location == "Rathaus"
    client.post(reverse("staff:event_delete", args=[event.pk]))
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_citizen_cannot_manage_workshops(client, citizen):
    event = EventFactory()
    client.force_login(citizen)
    assert client.get(reverse("staff:event_list")).status_code == 403
    assert client.post(reverse("staff:event_delete", args=[event.pk])).status_code == 403
    assert Event.objects.exists()
