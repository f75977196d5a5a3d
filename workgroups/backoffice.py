"""What the working groups put on the back-office start page: join requests waiting."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from geraportal.core import backoffice

from .models import JoinRequest
from .selectors import moderated_group_ids


def todos(user) -> list[backoffice.Todo]:
    groups = moderated_group_ids(user)  # the team moderates every group
    requests = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
    if not user.has_perm("workgroups.change_workinggroup"):
        if not groups:
            return []
        requests = requests.filter(group_id__in=groups)
    rows = requests.values("group__slug", "group__name_de").annotate(n=Count("pk")).order_by("group__name_de")
    return [
        backoffice.Todo(
            text=ngettext(
                "%(count)d join request for “%(group)s”", "%(count)d join requests for “%(group)s”", row["n"]
            )
            % {"count": row["n"], "group": row["group__name_de"]},
            url=reverse("workgroups:members", kwargs={"slug": row["group__slug"]}),
            count=row["n"],
        )
        for row in rows
    ]


def register() -> None:
    backoffice.register_todos("workgroups", collect=todos, order=20)
    backoffice.register_task(
        "workgroups", area=backoffice.TABLES,
        label=gettext_lazy("Working groups: texts, moderators, members and invitations"),
        url="staff:workgroup_list", perm="workgroups.change_workinggroup", order=10,
    )  # fmt: skip
