"""Who is who in the portal. The `rules` predicates in `rules.py` build on these."""

from allauth.mfa.utils import is_mfa_enabled

from .personcache import person_fact

SMARTCITY_TEAM = "SMARTCity-Team"
STRATEGY_GROUP = "Strategiegruppe"
STAFF_GROUPS = (SMARTCITY_TEAM, STRATEGY_GROUP)
GROUP_NAMES = "group-names"  # the person cache's topic


def group_names(user) -> frozenset[str]:
    """The user's group names, once per user object (and so once per request), and from the
    person cache between requests: nearly every page asks, a change is rare
    (`signals.forget_group_names` drops the cached answer)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = person_fact(
            topic=GROUP_NAMES,
            person_id=user.pk,
            compute=lambda: frozenset(user.groups.values_list("name", flat=True)),
        )
        user._portal_group_names = cached
    return cached


def has_staff_role(user) -> bool:
    """Whether this account carries a staff role and therefore must use two-factor auth."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or bool(group_names(user) & set(STAFF_GROUPS))


def has_mfa(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_portal_has_mfa", None)
    if cached is None:
        cached = is_mfa_enabled(user)
        user._portal_has_mfa = cached
    return cached


def may_use_staff_functions(user) -> bool:
    """Staff functions need a staff role *and* an active second factor."""
    return has_staff_role(user) and has_mfa(user)
