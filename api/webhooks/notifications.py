"""What the webhooks tell people about: an endpoint disabled after failing for days."""

from django.utils.translation import gettext_lazy as _

WEBHOOKS = "webhooks"


def register() -> None:
    from geraportal.notifications import kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(WEBHOOKS, _("Webhooks disabled after failing (SMARTCity team)"), Frequency.IMMEDIATELY)
