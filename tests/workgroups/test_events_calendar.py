"""Public working-group meetings appear in the portal's events calendar, members-only ones never."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from geraportal.pages import events
from workgroups import ics

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

MARCH = datetime(2031, 3, 12, 17, 0, tzinfo=UTC)


@pytest.fixture
def meetings(energy):
    public = MeetingFactory(
        group=energy,
        visibility="public",
        title="Offenes Treffen",
        starts_at=MARCH,
        ends_at=MARCH + timedelta(hours=2),
        location="Rathaus Gera",
    )
    private = MeetingFactory(
        group=energy,
        visibility="members",
        title="Internes Treffen",
        starts_at=MARCH + timedelta(days=1),
        ends_at=MARCH + timedelta(days=1, hours=2),
    )
    return public, private


def test_working_group_meetings_are_a_source_of_the_events_calendar():
    assert "workgroups" in {source.name for source in events.sources()}


def test_public_meeting_is_in_the_events_calendar_with_its_group(client, meetings):
    public, _ = meetings

    page = client.get(reverse("events:list"), {"month": "2031-03"}).text

    assert "Offenes Treffen (Energie und Umwelt)" in page
    assert "Treffen der Arbeitsgruppen" in page  # the source's label in the filter
    assert public.get_absolute_url() in page


@pytest.mark.parametrize("login", [False, True])
def test_members_only_meeting_is_never_in_the_events_calendar(client, meetings, member, login):
    if login:  # not even for a member of the group: the calendar is public
        client.force_login(member)

    page = client.get(reverse("events:list"), {"month": "2031-03"}).text
    export = client.get(reverse("events:export"), {"month": "2031-03"}).content.decode()

    assert "Offenes Treffen" in page and "Offenes Treffen" in export
    assert "Internes Treffen" not in page and "Internes Treffen" not in export


def test_members_only_meeting_is_never_in_the_subscribable_feed(client, energy, member):
    soon = timezone.now() + timedelta(days=3)
    MeetingFactory(
        group=energy,
        visibility="public",
        title="Offenes Treffen",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
    )
    MeetingFactory(
        group=energy,
        visibility="members",
        title="Internes Treffen",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
    )
    client.force_login(member)

    feed = client.get(reverse("events:feed")).content.decode()
    only_workgroups = client.get(reverse("events:feed"), {"source": "workgroups"}).content.decode()

    assert "Offenes Treffen" in feed and "Offenes Treffen" in only_workgroups
    assert "Internes Treffen" not in feed and "Internes Treffen" not in only_workgroups


def test_meeting_has_the_same_uid_in_the_events_calendar_and_the_group_feed(client, energy, meetings):
    public, _ = meetings

    export = client.get(reverse("events:export"), {"month": "2031-03"}).content.decode()
    group_feed = client.get(reverse("workgroups:calendar", kwargs={"slug": energy.slug})).content.decode()

    assert f"UID:{ics.meeting_uid(public)}" in export.replace("\r\n ", "")
    assert f"UID:{ics.meeting_uid(public)}" in group_feed.replace("\r\n ", "")


def test_meetings_outside_the_month_are_left_out(meetings):
    april = datetime(2031, 4, 1, tzinfo=UTC)

    assert ics.public_meeting_entries(april, april + timedelta(days=30)) == []
    (entry,) = ics.public_meeting_entries(MARCH - timedelta(days=1), april)
    assert entry.title == "Offenes Treffen (Energie und Umwelt)" and entry.location == "Rathaus Gera"
