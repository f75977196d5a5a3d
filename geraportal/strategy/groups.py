"""The working groups as the strategy sees them: slugs, names and who belongs to which.

Each section of the strategy belongs to a working group's theme, and the group reviews the
suggestions on it. `geraportal` imports no domain app, so the working groups app describes
itself here in its `ready()` (as it registers the reminder recipients):

    groups.register(names=lambda: [(slug, name), ...], roles_of=lambda user: {slug: role})

`roles_of` returns "member" or "moderator" per group slug; the answer is kept on the user
object, so one page asks the database once.
"""

from collections.abc import Callable

MEMBER = "member"
MODERATOR = "moderator"

_names: Callable[[], list[tuple[str, str]]] = list
_roles_of: Callable[[object], dict[str, str]] = lambda user: {}  # noqa: E731


def register(
    *, names: Callable[[], list[tuple[str, str]]], roles_of: Callable[[object], dict[str, str]]
) -> None:
    global _names, _roles_of
    _names, _roles_of = names, roles_of


def choices() -> list[tuple[str, str]]:
    return list(_names())


def name(slug: str) -> str:
    return dict(_names()).get(slug, slug)


def roles_of(user) -> dict[str, str]:
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, "_strategy_group_roles", None)
    if cached is None:
        cached = dict(_roles_of(user))
        user._strategy_group_roles = cached
    return cached
