"""The small `rules` predicates about pilots, safe with an anonymous user.

They live apart from `rules.py` (which only registers permissions) so that models, selectors
and views can use them without importing the permission table, and the table can use them
without importing anything that imports it back.
"""

import rules

from workgroups.rules import is_group_member, is_group_moderator
from workgroups.selectors import moderated_group_ids


@rules.predicate
def is_pilot_group_member(user, pilot) -> bool:
    return pilot is not None and is_group_member.test(user, pilot.working_group_id)


@rules.predicate
def is_pilot_group_moderator(user, pilot) -> bool:
    return pilot is not None and is_group_moderator.test(user, pilot.working_group_id)


@rules.predicate
def pilot_is_public(user, pilot) -> bool:
    return pilot is not None and pilot.is_public


@rules.predicate
def pilot_is_early(user, pilot) -> bool:
    """Still the group's proposal: its moderators may edit it until the plenary has ranked it."""
    return pilot is not None and pilot.status in ("draft", "proposed")


@rules.predicate
def moderates_group(user, group) -> bool:
    """`group` given: moderator of it. No group (a page to choose one): moderator of any."""
    if user is None or not user.is_authenticated:
        return False
    if group is None:
        return bool(moderated_group_ids(user))
    return is_group_moderator.test(user, group)
