"""What accounts tells people about: a staff role given or taken away."""

from django.utils.translation import gettext_lazy as _

ROLES = "roles"


def register() -> None:
    from geraportal.notifications import kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(ROLES, _("Staff roles given to me or taken from me"), Frequency.IMMEDIATELY)
