"""The pilots' fragments that list pages render many times, through `core.fragments`.

The fingerprint names every value the card reads; a test changes each of them and looks at
the page (tests/pilots/test_fragments.py).
"""

from collections.abc import Sequence

from django.utils.safestring import SafeString

from geraportal.core.fragments import render_each

from .models import Pilot

CARD = "pilots/includes/pilot_card.html"


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
