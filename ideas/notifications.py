"""What the ideas app tells people about: its notification kinds and audiences."""

from django.utils.translation import gettext_lazy as _

IDEA_STATUS = "idea_status"
FOLLOWED = "followed"

# Registered audiences (resolved after commit by the notifications fan-out).
FOLLOWERS = "ideas.followers"
AUDIENCE = "ideas.audience"


def register() -> None:
    from geraportal.notifications import audiences, kinds
    from geraportal.notifications.kinds import Frequency

    from . import selectors

    # What directly concerns a person comes at once; the chatter of following comes bundled.
    kinds.register(IDEA_STATUS, _("Status of my ideas"), Frequency.IMMEDIATELY)
    kinds.register(FOLLOWED, _("Replies and comments on what I follow"), Frequency.DAILY)
    audiences.register(FOLLOWERS, selectors.idea_followers)
    audiences.register(AUDIENCE, selectors.idea_audience)
