"""What the plenary tells people about."""

from django.utils.translation import gettext_lazy as _

PLENARY = "plenary"


def register() -> None:
    from geraportal.notifications import kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(PLENARY, _("Plenary polls open to me and their results"), Frequency.IMMEDIATELY)
