"""Who may do what with pilot projects — the one place that says so.

Group moderators create drafts for their working group and propose them to the plenary; the
SMARTCity team (always with two-factor authentication) records plenary results and council
decisions and runs every later stage; the strategy group selects proposals for the council.
"""

import rules

from geraportal.accounts.rules import is_smartcity_team, is_strategy_group, is_verified_citizen

from .predicates import (
    is_pilot_group_member,
    is_pilot_group_moderator,
    moderates_group,
    pilot_is_early,
    pilot_is_public,
)

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
