"""Writes of the back-office administration: staff roles (with an audit row and a message)."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from geraportal.accounts import roles
from geraportal.accounts.models import User
from geraportal.core.audit import staff_action_record
from geraportal.notifications.services import notify

from .notifications import ROLES


class RoleError(Exception):
    """A refusal with a message for the administrator (already translated)."""


def role_label(role: str) -> str:
    return {roles.SMARTCITY_TEAM: gettext("SMARTCity team"), roles.STRATEGY_GROUP: gettext("strategy group")}[
        role
    ]


@transaction.atomic
def role_set(*, user: User, role: str, granted: bool, by: User | None) -> bool:
    """Give `user` the staff role `role` or take it away; False when nothing changed.

    Writes an audit row and tells the person (in their language, after commit).
    """
    if role not in roles.STAFF_GROUPS:
        raise RoleError(role)
    if user.is_deleted or not user.is_active:
        raise RoleError(gettext("This account is deactivated or deleted; it cannot get a role."))
    group = Group.objects.get(name=role)
    user = User.objects.select_for_update().get(pk=user.pk)
    has = user.groups.filter(pk=group.pk).exists()
    if has == granted:
        return False
    if granted:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.__dict__.pop("_portal_group_names", None)
    staff_action_record(
        actor=by,
        action="role_granted" if granted else "role_revoked",
        target=user,
        summary=f"{user.email}: {role}",
        before={"role": role, "member": has},
        after={"role": role, "member": granted},
    )
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    notify(
        kind=ROLES,
        recipients=[user],
        event_key=f"accounts.role:{user.pk}:{role}:{int(granted)}:{stamp}",
        template="backoffice/notifications/role_changed",
        context={"role": role_label(role), "granted": granted, "by": by.public_name if by else ""},
        url=reverse("staff:home") if granted else reverse("pages:home"),
        actor=by,
    )
    return True
