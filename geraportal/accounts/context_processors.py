"""The header's link to the back-office (`/staff/`), for everyone with a staff role.

Whether a person has a staff role needs a query; asking it on every page would cost every
logged-in page one query. So the answer is kept in the session: set at login, and refreshed
whenever the person opens a staff page (`StaffMFARequiredMiddleware`). A role given while
someone is logged in shows the link from their next login or their first visit to /staff/
(the e-mail telling them links there); a role taken away leaves the link until then, and
/staff/ itself refuses them.
"""

from .roles import has_staff_role

SESSION_KEY = "portal_staff_link"


def remember_staff_link(request, user) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    value = has_staff_role(user)
    if session.get(SESSION_KEY) != value:  # writing only a change keeps the session unsaved
        session[SESSION_KEY] = value


def on_login(sender, request, user, **kwargs) -> None:
    remember_staff_link(request, user)


def staff_link(request) -> dict:
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    shown = bool(
        session is not None and user is not None and user.is_authenticated and session.get(SESSION_KEY)
    )
    return {"portal_staff_link": shown}
