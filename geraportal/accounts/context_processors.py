from django.utils.functional import SimpleLazyObject

from .roles import has_staff_role


def staff_link(request) -> dict:
    """Whether the header links to the back-office (`/staff/`): for everyone with a staff role.

    Lazy: only pages for a logged-in person ask, and the role lookup is cached on the user.
    """
    user = getattr(request, "user", None)
    return {"portal_staff_link": SimpleLazyObject(lambda: bool(user is not None and has_staff_role(user)))}
