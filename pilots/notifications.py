"""What the pilots tell people about: one kind, and the audience of a pilot project."""

from django.utils.translation import gettext_lazy as _

PILOT_UPDATE = "pilot_update"

PILOT = "pilots.pilot"


def pilot_audience(*, pilot_id: int) -> set[int]:
    """Ids of the pilot's followers and of everyone who cares about its source ideas.

    The ideas app says who cares about an idea (`idea_audience`: authors, followers,
    supporters; a hidden idea's author only), so this never rebuilds its rule.
    """
    from ideas.selectors import idea_audience

    from .models import Pilot, PilotFollow

    idea_ids = Pilot.source_ideas.through.objects.filter(pilot_id=pilot_id).values_list("idea_id", flat=True)
    followers = PilotFollow.objects.filter(pilot_id=pilot_id).values_list("user_id", flat=True)
    return set(followers) | set(idea_audience(idea_ids=idea_ids))


def register() -> None:
    from geraportal.notifications import audiences, kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(
        PILOT_UPDATE, _("Pilot projects I follow or that grew from my ideas"), Frequency.IMMEDIATELY
    )
    audiences.register(PILOT, pilot_audience)
