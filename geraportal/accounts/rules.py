"""Portal-wide roles as `rules` predicates; every app's rules.py builds on these.

A staff role only counts once the account has two-factor authentication, so no
staff permission anywhere in the portal can be used without it.
"""

import rules

from . import roles


@rules.predicate
def has_mfa(user) -> bool:
    return roles.has_mfa(user)


@rules.predicate
def is_verified_citizen(user) -> bool:
    return user.is_authenticated and user.is_active and not user.is_deleted


def _in_group(name: str):
    @rules.predicate(name=f"in_group:{name}")
    def predicate(user) -> bool:
        return user.is_authenticated and user.is_active and name in roles.group_names(user)

    return predicate


is_superuser = rules.is_superuser & has_mfa
is_smartcity_team = (_in_group(roles.SMARTCITY_TEAM) & has_mfa) | is_superuser
is_strategy_group = (_in_group(roles.STRATEGY_GROUP) & has_mfa) | is_superuser

rules.add_perm("accounts.view_user", is_smartcity_team)
rules.add_perm("accounts.change_user", is_superuser)
rules.add_perm("accounts.add_user", is_superuser)
rules.add_perm("accounts.delete_user", is_superuser)
rules.add_perm("accounts", is_smartcity_team)

# The districts' permissions live here, not in `districts`: accounts uses districts (a
# person's district), so districts importing our role predicates would close a loop.
# The SMARTCity team keeps the list of districts up to date (through the admin).
rules.add_perm("districts.view_district", is_smartcity_team)
rules.add_perm("districts.add_district", is_smartcity_team)
rules.add_perm("districts.change_district", is_smartcity_team)
rules.add_perm("districts.delete_district", is_smartcity_team)
# Module permission: shows the app in the admin index.
rules.add_perm("districts", is_smartcity_team)

# Administrators give and take the staff roles in the back-office (with an audit row each).
rules.add_perm("accounts.change_roles", is_superuser)
# The audit log of staff actions (kept in `core`, which imports no role: its rules live here).
rules.add_perm("core.view_staffaction", is_superuser)
