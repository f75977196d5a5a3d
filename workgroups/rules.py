"""Who may do what in the working groups — the one place that says so (the predicates are in
`predicates.py`; other apps use `is_group_member` / `is_group_moderator` from there or here).
"""

import rules

from geraportal.accounts.rules import is_smartcity_team, is_superuser, is_verified_citizen

from .predicates import (
    in_hidden_thread,
    is_author,
    is_group_member,
    is_group_moderator,  # noqa: F401 -- other apps import the membership predicates from here
    is_hidden,
    is_locked,
    is_not_member,
    may_moderate_group,
    may_read_private,
    may_view_object,
    may_view_thread,
    moderates_objects_group,
    reads_objects_group,
    reads_posts_group,
)

# --- group --------------------------------------------------------------------------------
rules.add_perm("workgroups.view_workinggroup", rules.always_allow)
rules.add_perm("workgroups.add_workinggroup", is_smartcity_team)
rules.add_perm("workgroups.change_workinggroup", is_smartcity_team)
rules.add_perm("workgroups.delete_workinggroup", is_superuser)
rules.add_perm("workgroups", is_smartcity_team)
rules.add_perm("workgroups.read_private", may_read_private)
rules.add_perm("workgroups.moderate_group", may_moderate_group)

# --- membership ---------------------------------------------------------------------------
rules.add_perm("workgroups.request_membership", is_verified_citizen & is_not_member)
rules.add_perm("workgroups.view_members", may_read_private)
rules.add_perm("workgroups.leave_group", is_group_member)
rules.add_perm("workgroups.manage_members", may_moderate_group)

# --- discussions --------------------------------------------------------------------------
rules.add_perm("workgroups.view_thread", may_view_thread)
rules.add_perm("workgroups.add_thread", is_verified_citizen & may_read_private)
rules.add_perm(
    "workgroups.add_post",
    is_verified_citizen & reads_objects_group & ~is_locked & ~is_hidden | moderates_objects_group,
)
rules.add_perm(
    "workgroups.change_post",
    is_verified_citizen & is_author & ~is_hidden & ~in_hidden_thread & reads_posts_group,
)
rules.add_perm("workgroups.moderate_thread", moderates_objects_group)

# --- documents ----------------------------------------------------------------------------
rules.add_perm("workgroups.view_document", may_view_object)
rules.add_perm("workgroups.add_document", is_verified_citizen & may_read_private)
rules.add_perm("workgroups.change_document", is_verified_citizen & reads_objects_group)
rules.add_perm("workgroups.delete_document", moderates_objects_group)

# --- meetings -----------------------------------------------------------------------------
rules.add_perm("workgroups.view_meeting", may_view_object)
rules.add_perm("workgroups.add_meeting", may_moderate_group)
rules.add_perm("workgroups.change_meeting", moderates_objects_group)
# Public meetings are open to every citizen; members-only ones to the group.
rules.add_perm("workgroups.rsvp_meeting", is_verified_citizen & may_view_object)
