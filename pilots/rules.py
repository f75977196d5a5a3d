"""Who may do what with pilot projects — the one place that says so.

Group moderators create drafts for their working group and propose them to the plenary; the
SMARTCity team (always with two-factor authentication) records plenary results and council
decisions and runs every later stage; the strategy group selects proposals for the council.
"""

import rules

from geraportal.accounts.rules import is_smartcity_team, is_strategy_group, is_verified_citizen
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


can_view_pilot = pilot_is_public | is_pilot_group_member | is_smartcity_team

rules.add_perm("pilots.view_pilot", can_view_pilot)
rules.add_perm("pilots.add_pilot", is_smartcity_team | moderates_group)
rules.add_perm("pilots.change_pilot", is_smartcity_team | (is_pilot_group_moderator & pilot_is_early))
rules.add_perm("pilots.follow_pilot", is_verified_citizen & pilot_is_public)
rules.add_perm("pilots.manage_progress", is_smartcity_team)
rules.add_perm("pilots.view_selection", is_strategy_group | is_smartcity_team)

# One permission per lifecycle step (keyed by the status it leads to).
rules.add_perm("pilots.propose_pilot", is_pilot_group_moderator | is_smartcity_team)
rules.add_perm("pilots.prioritise_pilot", is_smartcity_team)
rules.add_perm("pilots.select_pilot", is_strategy_group)
rules.add_perm("pilots.decide_pilot", is_smartcity_team)
rules.add_perm("pilots.tender_pilot", is_smartcity_team)
rules.add_perm("pilots.implement_pilot", is_smartcity_team)
rules.add_perm("pilots.complete_pilot", is_smartcity_team)
rules.add_perm("pilots.cancel_pilot", is_smartcity_team)

TRANSITION_PERMS: dict[str, str] = {
    "proposed": "pilots.propose_pilot",
    "prioritised": "pilots.prioritise_pilot",
    "selected": "pilots.select_pilot",
    "approved": "pilots.decide_pilot",
    "rejected": "pilots.decide_pilot",
    "tendering": "pilots.tender_pilot",
    "implementation": "pilots.implement_pilot",
    "completed": "pilots.complete_pilot",
    "cancelled": "pilots.cancel_pilot",
}

# The Django admin: the team keeps organisations and corrects records (never the status).
rules.add_perm("pilots", is_smartcity_team)
for _model in ("organisation", "milestone", "pilotupdate", "pilotimage"):
    for _action in ("view", "change"):
        rules.add_perm(f"pilots.{_action}_{_model}", is_smartcity_team)
rules.add_perm("pilots.view_pilotstatuschange", is_smartcity_team)
rules.add_perm("pilots.add_organisation", is_smartcity_team)
rules.add_perm("pilots.delete_organisation", is_smartcity_team)
