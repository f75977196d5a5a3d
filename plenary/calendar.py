"""Plenary meetings in the portal's public events calendar."""

from datetime import datetime, timedelta

from django.conf import settings

from geraportal.pages.events import CalendarEntry

from .models import Meeting

# Meetings record when they start; the calendar needs an end.
TYPICAL_LENGTH = timedelta(hours=3)


def calendar_entries(start: datetime, end: datetime) -> list[CalendarEntry]:
    meetings = Meeting.objects.filter(starts_at__lt=end, starts_at__gte=start - TYPICAL_LENGTH)
    return [
        CalendarEntry(
            title=meeting.title,
            start=meeting.starts_at,
            end=meeting.starts_at + TYPICAL_LENGTH,
            location=meeting.place,
            url=f"{settings.SITE_URL}{meeting.get_absolute_url()}",
            description=meeting.description,
            uid=f"plenary-meeting-{meeting.pk}@geraportal",
        )
        for meeting in meetings
    ]
