"""Who may do what in the working groups — the one place that says so.

Group-level predicates take a `WorkingGroup`; object-level ones take the thread, post,
document or meeting and look at its group. Membership comes from `selectors`, which
fetches a person's roles once per request, so a page full of objects costs one query.
"""

import rules

from geraportal.accounts.rules import is_smartcity_team, is_superuser, is_verified_citizen

from . import selectors


def _group_id(group) -> int | None:
    return getattr(group, "pk", group)


@rules.predicate
def is_group_member(user, group) -> bool:
    """Member or moderator of `group` (safe for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active or group is None:
        return False
    return _group_id(group) in selectors.member_group_ids(user)


@rules.predicate
def is_group_moderator(user, group) -> bool:
    """Moderator of `group` (safe for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active or group is None:
        return False
    return _group_id(group) in selectors.moderated_group_ids(user)


# The SMARTCity team may moderate every group, and so also read what is private in it.
may_moderate_group = is_group_moderator | is_smartcity_team
may_read_private = is_group_member | is_smartcity_team


def _on_group(predicate):
    """Lift a group predicate to an object that has a `group_id`/`group`."""

    @rules.predicate(name=f"on_group:{predicate.name}")
    def lifted(user, obj) -> bool:
        return obj is not None and predicate.test(user, obj.group_id)

    return lifted


@rules.predicate
def is_public(user, obj) -> bool:
    return obj is not None and obj.is_public


@rules.predicate
def is_hidden(user, obj) -> bool:
    return obj is not None and obj.hidden_at is not None


@rules.predicate
def is_author(user, obj) -> bool:
    return obj is not None and user.is_authenticated and obj.author_id == user.pk


@rules.predicate
def is_locked(user, thread) -> bool:
    return thread is not None and thread.locked_at is not None


@rules.predicate
def is_not_member(user, group) -> bool:
    return not is_group_member.test(user, group)


@rules.predicate
def in_hidden_thread(user, post) -> bool:
    return post is not None and post.thread.hidden_at is not None


@rules.predicate
def reads_posts_group(user, post) -> bool:
    """Still inside the post's group (member or team): a removed member may no longer edit."""
    return post is not None and may_read_private.test(user, post.thread.group_id)


moderates_objects_group = _on_group(may_moderate_group)
reads_objects_group = _on_group(may_read_private)
member_of_objects_group = _on_group(is_group_member)

# An object (thread, document, meeting) is readable when it is public or the reader is inside.
may_view_object = is_public | reads_objects_group
# A hidden thread stays readable for its author (who sees the reason) and the moderators.
may_view_thread = (may_view_object & ~is_hidden) | (may_view_object & is_author) | moderates_objects_group

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
