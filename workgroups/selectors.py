"""Reads that span models. Cached on the user object, so a page asks the database once."""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from geraportal.accounts.models import unshared_person_columns
from geraportal.accounts.rules import is_smartcity_team
from geraportal.core.pagecache import shared_per_content_version

from . import group_page, predicates
from .models import TOKEN_REGEX, CalendarFeed, Document, Meeting, Membership, Thread, ThreadRead, WorkingGroup

if TYPE_CHECKING:
    from geraportal.accounts.models import User


def forget_memberships(user: "User | AnonymousUser") -> None:
    """Drop the cached roles after a membership of `user` changed within the same request."""
    Membership.objects.forget_roles(user)


def member_group_ids(user: "User | AnonymousUser") -> set[int]:
    """Ids of the groups `user` belongs to, as member or moderator (empty for anonymous)."""
    return set(Membership.objects.roles_of(user))


def moderated_group_ids(user: "User | AnonymousUser") -> set[int]:
    """Ids of the groups `user` moderates (empty for anonymous)."""
    roles = Membership.objects.roles_of(user)
    return {group_id for group_id, role in roles.items() if role == Membership.Role.MODERATOR}


def group_moderators(group) -> list:
    """The moderators of `group` (people, with only the name shown of them), by name."""
    rows = (
        Membership.objects.filter(group=group, role=Membership.Role.MODERATOR)
        .select_related("user")
        .defer(*unshared_person_columns("user"))  # names only (and kept: `public_group_page`)
        .order_by("user__display_name", "user_id")
    )
    return [m.user for m in rows]


def group_members(group):
    return (
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("-role", "user__display_name", "user_id")
    )


def threads_for(group, user: "User | AnonymousUser", *, limit: int | None = None) -> list:
    """The threads of `group` that `user` may see, with post counts and (for members) unread counts."""
    threads = Thread.objects.filter(group=group).visible_to(user)
    if not predicates.may_moderate_group(user, group):
        # A member also sees their own hidden threads; someone outside the group (a former
        # member too) sees the group as the public does (`public_group_page`).
        own = Q(author_id=user.pk) if predicates.may_read_private(user, group) else Q(pk__in=[])
        threads = threads.filter(Q(hidden_at__isnull=True) | own)
    visible_posts = Q(posts__hidden_at__isnull=True)
    threads = threads.annotate(post_count=Count("posts", filter=visible_posts, distinct=True))
    if user.is_authenticated and predicates.may_read_private(user, group):
        last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_post_id")[
            :1
        ]
        threads = threads.annotate(
            last_read_id=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)),
        ).annotate(
            unread_count=Count(
                "posts",
                filter=visible_posts & Q(posts__id__gt=F("last_read_id")) & ~Q(posts__author_id=user.pk),
                distinct=True,
            )
        )
    if limit:
        threads = threads[:limit]
    return list(threads)


def upcoming_meetings(group, user: "User | AnonymousUser", *, now=None, limit: int | None = None):
    """The meetings of `group` that `user` may see and that have not ended, soonest first."""
    meetings = Meeting.objects.filter(group=group, ends_at__gte=now or timezone.now()).visible_to(user)
    return list(meetings[:limit] if limit else meetings)


def threads_referencing(*, kind: str, object_id: int, user: "User | AnonymousUser") -> list:
    """Threads (of any group) that point at (kind, object_id) and that `user` may see.

    For the other direction of a reference: an idea's or pilot's page lists its discussions.
    Someone in no group (and not of the SMARTCity team) sees the public ones only, as everybody
    does: those are kept in the shared cache until the content changes (issue 16).
    """
    if sees_groups_as_public(user):
        return shared_per_content_version(
            f"workgroups.threads_about:{kind}:{object_id}",
            lambda: list(_referencing(kind, object_id).public().filter(hidden_at__isnull=True).distinct()),
        )
    threads = _referencing(kind, object_id).visible_to(user)
    if not is_smartcity_team(user):
        threads = threads.filter(Q(hidden_at__isnull=True) | Q(group_id__in=moderated_group_ids(user)))
    return list(threads.distinct())


def _referencing(kind: str, object_id: int):
    return Thread.objects.filter(references__kind=kind, references__object_id=object_id).select_related(
        "group"
    )


def active_moderators():
    """Everyone who moderates at least one group and may still log in, once each."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            deleted_at__isnull=True,
            workgroup_memberships__role=Membership.Role.MODERATOR,
        )
        .distinct()
    )


def calendar_feed_user(group, token: str | None):
    """The person whose personal calendar address of `group` carries `token`, or None.

    Only the person is found here; what they may see is checked at each fetch.
    """
    if not token or not re.fullmatch(TOKEN_REGEX, token):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(group=group, token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def strategy_group_names() -> list[tuple[str, str]]:
    """(slug, name) of every group, for the strategy's sections (`geraportal.strategy.groups`)."""
    return [(group.slug, group.name) for group in WorkingGroup.objects.all()]


def strategy_roles_of(user) -> dict[str, str]:
    """{group slug: "member" | "moderator"} of `user`, for the strategy's review."""
    return dict(Membership.objects.filter(user=user).values_list("group__slug", "role"))


@dataclass
class PublicGroupPage:
    """What everyone outside a group sees of it on its page."""

    group: WorkingGroup
    moderators: list
    threads: list
    meetings: list
    documents: list


def public_group_page(slug: str) -> PublicGroupPage | None:
    """The group's page as the public sees it, or None if no group has `slug`: for everyone
    outside the group (not of the SMARTCity team either), kept in the shared cache until the
    content changes, as a cached page is (issue 16: the page asked seven queries each time).
    Like a cached page, a meeting that ends shows until the content changes or at most
    PAGE_CACHE_SECONDS."""

    def load() -> PublicGroupPage | None:
        group = WorkingGroup.objects.filter(slug=slug).first()
        if group is None:
            return None  # not kept: a made-up address leaves no entry behind
        public = AnonymousUser()
        return PublicGroupPage(
            group=group,
            moderators=group_moderators(group),
            threads=threads_for(group, public, limit=10),
            meetings=upcoming_meetings(group, public, limit=5),
            documents=list(Document.objects.filter(group=group).visible_to(public)[:5]),
        )

    return shared_per_content_version(f"workgroups.public_page:{slug}", load)


def sees_groups_as_public(user: "User | AnonymousUser") -> bool:
    """In no group and not of the SMARTCity team: sees every group as the public does."""
    return not is_smartcity_team(user) and not Membership.objects.roles_of(user)


def public_group_sections(group: WorkingGroup) -> list:
    """The other apps' sections of the group's page as a visitor sees them, kept in the shared
    cache until the content changes (`public_group_page`)."""
    return shared_per_content_version(
        f"workgroups.public_sections:{group.slug}", lambda: group_page.sections.render(group, AnonymousUser())
    )
