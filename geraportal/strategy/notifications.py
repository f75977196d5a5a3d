"""What the strategy tells people about: the update reminders."""

from django.utils.translation import gettext_lazy as _

STRATEGY = "strategy"


def register() -> None:
    from geraportal.notifications import kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(STRATEGY, _("Strategy update reminders (staff and moderators)"), Frequency.IMMEDIATELY)
