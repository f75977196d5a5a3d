"""Working-group meetings as calendar events.

The iCalendar text itself is written by `geraportal.core.ical` (one writer for the portal);
this module only says what a meeting looks like as an event: its stable UID, its summary
with the group's name, agenda and online link in the description, and the address back to
its page. The same UID is used in the group feeds and in the portal's events calendar, so a
calendar app that subscribes to both shows a public meeting once.
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings

from geraportal.core import ical
from geraportal.pages.events import CalendarEntry

from .models import Meeting


def meeting_uid(meeting: Meeting) -> str:
    return f"workgroups-meeting-{meeting.pk}@{ical.uid_host()}"


def _summary(meeting: Meeting) -> str:
    return f"{meeting.title} ({meeting.group.name})"


def _description(meeting: Meeting) -> str:
    return "\n".join(part for part in (meeting.agenda.strip(), meeting.online_url) if part)


def _url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}{meeting.get_absolute_url()}"


def meeting_event(meeting: Meeting) -> ical.IcalEvent:
    return ical.IcalEvent(
        uid=meeting_uid(meeting),
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=_summary(meeting),
        url=_url(meeting),
        description=_description(meeting),
        location=meeting.location or meeting.online_url,
        last_modified=meeting.updated_at,
        public=meeting.is_public,
    )


def calendar(meetings: Iterable[Meeting], *, name: str, now: datetime | None = None) -> str:
    """A VCALENDAR of `meetings` (the caller has applied the reader's visibility)."""
    return ical.calendar((meeting_event(m) for m in meetings), name=name, now=now)


def public_meeting_entries(start: datetime, end: datetime) -> list[CalendarEntry]:
    """The source for the portal's public events calendar: public meetings only, never the
    members-only ones (the calendar, its export and its feed are public)."""
    meetings = (
        Meeting.objects.public()
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("group")
        .order_by("starts_at", "pk")
    )
    return [
        CalendarEntry(
            title=_summary(meeting),
            start=meeting.starts_at,
            end=meeting.ends_at,
            location=meeting.location or meeting.online_url,
            url=_url(meeting),
            description=_description(meeting),
            uid=meeting_uid(meeting),
        )
        for meeting in meetings
    ]
