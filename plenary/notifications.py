"""What the plenary tells people about: a poll open to them, and a published result."""

from django.utils.translation import gettext_lazy as _

PLENARY = "plenary"

ELIGIBLE_VOTERS = "plenary.eligible_voters"
POLL_FOLLOWERS = "plenary.poll_followers"


def eligible_voters(*, poll_id: int) -> list[int]:
    """Who may vote, as frozen when the poll opened."""
    from .models import EligibleVoter

    return list(EligibleVoter.objects.filter(poll_id=poll_id).values_list("user_id", flat=True))


def poll_followers(*, poll_id: int) -> set[int]:
    """Everyone who follows a proposal on the ballot (and its source ideas' people), and the voters.

    The pilots app says who cares about a pilot (`pilot_audience`), so this never rebuilds it.
    """
    from pilots.notifications import pilot_audience

    from .models import PollOption

    people = set(eligible_voters(poll_id=poll_id))
    for pilot_id in PollOption.objects.filter(poll_id=poll_id).values_list("pilot_id", flat=True):
        people |= pilot_audience(pilot_id=pilot_id)
    return people


def register() -> None:
    from geraportal.notifications import audiences, kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(PLENARY, _("Plenary polls open to me and their results"), Frequency.IMMEDIATELY)
    audiences.register(ELIGIBLE_VOTERS, eligible_voters)
    audiences.register(POLL_FOLLOWERS, poll_followers)
