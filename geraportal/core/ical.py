"""iCalendar (RFC 5545) writing, by hand: it is a small, strict text format.

- lines end with CRLF and are folded at 75 octets (continuation lines start with a space,
  never splitting a UTF-8 character);
- TEXT values escape backslash, semicolon, comma and newlines;
- times are UTC ("...Z"), so no VTIMEZONE block is needed;
- every event has a stable UID, a DTSTAMP and a URL back to its page in the portal.

The writer takes plain `IcalEvent` values so that any app (workshops, plenary meetings,
working-group meetings) can use it without this module knowing their models.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

PRODID = "-//SMARTCity Gera//Beteiligungsportal//DE"


@dataclass(frozen=True)
class IcalEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    url: str
    description: str = ""
    location: str = ""
    last_modified: datetime | None = None
    public: bool = True


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
    if len(line.encode("utf-8")) <= 75:
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


def uid_host() -> str:
    """The right-hand side of our UIDs: the portal's host name, stable across requests."""
    return urlsplit(settings.SITE_URL).hostname or "geraportal"


def _uri(value: str) -> str:
    # A URI value is not TEXT-escaped, but it must stay on one logical line.
    return "".join(value.split())


def event_lines(event: IcalEvent, *, now: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uri(event.uid)}",
        f"DTSTAMP:{format_utc(now)}",
        f"DTSTART:{format_utc(event.start)}",
        f"DTEND:{format_utc(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.last_modified:
        lines.append(f"LAST-MODIFIED:{format_utc(event.last_modified)}")
    description = "\n".join(part for part in (event.description.strip(), event.url) if part)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{_uri(event.url)}")
    lines.append("CLASS:PUBLIC" if event.public else "CLASS:PRIVATE")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[IcalEvent], *, name: str, now: datetime | None = None) -> str:
    """A whole VCALENDAR document (a str with CRLF line ends), ready to serve as text/calendar."""
    now = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    for event in events:
        lines.extend(event_lines(event, now=now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
