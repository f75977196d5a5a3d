"""Predicates about working groups and their content — the words `rules.py` is written in.

Group-level predicates take a `WorkingGroup`; object-level ones take the thread, post,
document or meeting and look at its group. Membership comes from
`Membership.objects.roles_of`, which fetches a person's roles once per request, so a page
full of objects costs one query. They import only the models, so `selectors` and `rules`
can both build on them.
"""

import rules

from geraportal.accounts.rules import is_smartcity_team

from .models import Membership


def _group_id(group) -> int | None:
    return getattr(group, "pk", group)


@rules.predicate
def is_group_member(user, group) -> bool:
    """Member or moderator of `group` (safe for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active or group is None:
        return False
    return _group_id(group) in Membership.objects.roles_of(user)


@rules.predicate
def is_group_moderator(user, group) -> bool:
    """Moderator of `group` (safe for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active or group is None:
        return False
    group_id = _group_id(group)
    return (
        group_id is not None and Membership.objects.roles_of(user).get(group_id) == Membership.Role.MODERATOR
    )


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
