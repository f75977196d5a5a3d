from functools import cache

from .selectors import unread_count


def bell(request) -> dict:
    """The unread count for the header's bell, looked up only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": cache(lambda: unread_count(user))}
