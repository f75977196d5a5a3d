from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; users choose per kind how they hear of it."""

    IDEA_STATUS = "idea_status", _("Status of my ideas")
    FOLLOWED = "followed", _("Replies and comments on what I follow")
    WORKGROUP = "workgroup", _("My working groups: threads, meetings and membership")
    MENTION = "mention", _("Mentions of me")
    PILOT_UPDATE = "pilot_update", _("Pilot projects I follow or that grew from my ideas")
    PLENARY = "plenary", _("Plenary polls open to me and their results")
    STRATEGY = "strategy", _("Strategy update reminders (staff and moderators)")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    NEVER = "never", _("never")


# Nothing unasked-for: every kind concerns something the user did, follows or belongs to.
# What directly concerns a person comes at once; the chatter of following comes bundled.
DEFAULT_FREQUENCY: dict[str, str] = {
    Kind.IDEA_STATUS: Frequency.IMMEDIATELY,
    Kind.FOLLOWED: Frequency.DAILY,
    Kind.WORKGROUP: Frequency.DAILY,
    Kind.MENTION: Frequency.IMMEDIATELY,
    Kind.PILOT_UPDATE: Frequency.IMMEDIATELY,
    Kind.PLENARY: Frequency.IMMEDIATELY,
    Kind.STRATEGY: Frequency.IMMEDIATELY,
}
