"""Reads about a person's notifications."""

from geraportal.accounts.models import User
from geraportal.accounts.personcache import person_fact

from .models import Notification

UNREAD = "unread-notifications"  # the person cache's topic


def unread_count(user: User) -> int:
    """The bell's number, from the person cache between requests: every logged-in page shows
    it, and it changes only where notifications are written, read or erased (each of those
    calls `person_fact_forget(topic=UNREAD, ...)`)."""
    return person_fact(
        topic=UNREAD, person_id=user.pk, compute=lambda: Notification.objects.for_user(user).unread().count()
    )
