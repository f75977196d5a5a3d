"""iCalendar (RFC 5545) for meetings, written by hand: it is a small, strict text format.

- lines end with CRLF and are folded at 75 octets (continuation lines start with a space,
  never splitting a UTF-8 character);
- TEXT values escape backslash, semicolon, comma and newlines;
- times are UTC ("...Z"), so no VTIMEZONE block is needed;
- every event has a stable UID, a DTSTAMP and a URL back to its page in the portal.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

PRODID = "-//SMARTCity Gera//Beteiligungsportal//DE"


def escape_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets, joined by CRLF + space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines carry the leading space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def format_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "geraportal"


def meeting_uid(meeting) -> str:
    return f"workgroups-meeting-{meeting.pk}@{_host()}"


def _event(meeting, *, now: datetime) -> list[str]:
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    description_parts = [meeting.agenda.strip()] if meeting.agenda.strip() else []
    if meeting.online_url:
        description_parts.append(meeting.online_url)
    description_parts.append(url)
    location = meeting.location or meeting.online_url
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{format_utc(now)}",
        f"DTSTART:{format_utc(meeting.starts_at)}",
        f"DTEND:{format_utc(meeting.ends_at)}",
        f"LAST-MODIFIED:{format_utc(meeting.updated_at)}",
        f"SUMMARY:{escape_text(f'{meeting.title} ({meeting.group.name})')}",
        f"DESCRIPTION:{escape_text(chr(10).join(description_parts))}",
        f"URL:{url}",
        "CLASS:PUBLIC" if meeting.is_public else "CLASS:PRIVATE",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable, *, name: str, now: datetime | None = None) -> str:
    now = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines.extend(_event(meeting, now=now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
