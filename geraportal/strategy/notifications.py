"""What the strategy tells people about.

`strategy`: the update reminders to the team and the group moderators (a few dozen named
people). `strategy_update`: the update cycle told to the strategy's followers — the
consultation opens, a suggestion is decided (its author), an edition is published.
"""

from django.utils.translation import gettext_lazy as _

STRATEGY = "strategy"
STRATEGY_UPDATE = "strategy_update"
FOLLOWERS = "strategy.followers"


def followers():
    """Everyone who follows the strategy (the fan-out drops inactive and deleted accounts)."""
    from .models import Follower

    return Follower.objects.values_list("user_id", flat=True)


def register() -> None:
    from geraportal.notifications import audiences, kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(STRATEGY, _("Strategy update reminders (staff and moderators)"), Frequency.IMMEDIATELY)
    kinds.register(
        STRATEGY_UPDATE,
        _("The strategy update: consultations, decisions on suggestions, new editions"),
        Frequency.IMMEDIATELY,
    )
    audiences.register(FOLLOWERS, followers)
