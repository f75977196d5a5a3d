"""The pilots' fragments that list pages render many times, through `core.fragments`.

The fingerprint names every value the card reads; a test changes each of them and looks at
the page (tests/pilots/test_fragments.py).
"""

from collections.abc import Sequence

from django.core.paginator import Page
from django.utils.safestring import SafeString

from geraportal.core.fragments import kept_rendered_page, render_each

from .models import Pilot, PilotStatusChange
from .selectors import TimelineEntry, attach_progress

CARD = "pilots/includes/pilot_card.html"
TIMELINE_ENTRY = "pilots/includes/timeline_entry.html"


def _card_fingerprint(pilot: Pilot) -> tuple:
    return (
        pilot.pk, pilot.slug, pilot.title, pilot.status, pilot.summary,
        pilot.working_group.name,
        tuple(district.name for district in pilot.districts.all()),
        pilot.progress, pilot.milestone_done, pilot.milestone_total,  # type: ignore[attr-defined]
    )  # fmt: skip


def pilot_cards(pilots: Sequence[Pilot]) -> list[SafeString]:
    """One card per pilot, in order (each pilot `with_progress`, its group and districts loaded)."""
    return render_each(CARD, pilots, context=lambda pilot: {"pilot": pilot}, fingerprint=_card_fingerprint)


def list_page_cards(page: Page, *, key: str) -> list[SafeString]:
    """The cards of an overview page (`key` names its rows, `selectors.pilot_list_key`), kept
    with the page (`kept_page`): everyone who sees the same rows gets them from one cache read,
    without the pilots' rows, their districts and the fragment cache's keys (issue 16)."""
    return kept_rendered_page(
        page, key=key, template_name=CARD, build=lambda rows: pilot_cards(attach_progress(rows))
    )


def _entry_fingerprint(pair: tuple[TimelineEntry, str]) -> tuple:
    entry, pilot_slug = pair
    item = entry.item
    if isinstance(item, PilotStatusChange):
        shown: tuple = (item.to_status, item.council_date, item.council_resolution, item.note)
    else:
        shown = (item.title, item.image.name, item.image_alt, item.body_html)
    return (entry.kind, item.pk, entry.when, pilot_slug, *shown)


def timeline_entries(entries: Sequence[TimelineEntry], *, pilot_slug: str) -> list[SafeString]:
    """Each timeline entry as every viewer sees it (the team's remove button stays in the page):
    twenty dates, statuses and texts were a third of the pilot page's rendering (issue 16)."""
    return render_each(
        TIMELINE_ENTRY,
        [(entry, pilot_slug) for entry in entries],
        context=lambda item: {"entry": item[0], "pilot_slug": item[1]},
        fingerprint=_entry_fingerprint,
    )
