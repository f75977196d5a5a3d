from functools import cache

from .models import Notification


def bell(request) -> dict:
    """The unread count for the header's bell, queried only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": cache(lambda: Notification.objects.for_user(user).unread().count())}
