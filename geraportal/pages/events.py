"""The public events calendar, fed by every app that holds public dates.

`geraportal` imports no domain app; each app registers a source of public events in its
AppConfig.ready():

    from geraportal.pages import events
    events.register("plenary", plenary_calendar_entries, label=_("Plenary meetings"))

where `plenary_calendar_entries(start, end)` returns a list of `CalendarEntry` for the events
that overlap [start, end). Only public events may be returned: the calendar, its iCalendar
export and its feed are public.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEntry:
    title: str
    start: datetime
    end: datetime
    location: str
    url: str
    description: str
    uid: str
    source: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    entries: Callable[[datetime, datetime], list[CalendarEntry]]


_sources: dict[str, Source] = {}


def register(
    source_name: str, fn: Callable[[datetime, datetime], list[CalendarEntry]], *, label=None
) -> None:
    _sources[source_name] = Source(name=source_name, label=label or source_name, entries=fn)


def unregister(source_name: str) -> None:
    _sources.pop(source_name, None)


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: s.name)


def entries_between(start: datetime, end: datetime, *, only: list[str] | None = None) -> list[CalendarEntry]:
    """All public events overlapping [start, end), from every source (or those in `only`), by start."""
    found: list[CalendarEntry] = []
    for source in sources():
        if only and source.name not in only:
            continue
        found.extend(dataclasses.replace(entry, source=source.name) for entry in source.entries(start, end))
    return sorted(found, key=lambda e: (e.start, e.end, e.title, e.uid))
