"""What the working groups tell people about: their notification kinds and audiences."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

WORKGROUP = "workgroup"
MENTION = "mention"

MEMBERS = "workgroups.members"
THREAD_PARTICIPANTS = "workgroups.thread_participants"


def group_members(*, group_id: int) -> QuerySet:
    from .models import Membership

    return Membership.objects.filter(group_id=group_id).values_list("user_id", flat=True)


def thread_participants(*, thread_id: int) -> QuerySet:
    """Everyone who wrote in the thread and is still a member of its group (read when the task runs)."""
    from .models import Membership, Post

    return (
        Post.objects.filter(thread_id=thread_id)
        .filter(author_id__in=Membership.objects.filter(group__threads__pk=thread_id).values("user_id"))
        .values_list("author_id", flat=True)
        .distinct()
    )


def register() -> None:
    from geraportal.notifications import audiences, kinds
    from geraportal.notifications.kinds import Frequency

    kinds.register(WORKGROUP, _("My working groups: threads, meetings and membership"), Frequency.DAILY)
    kinds.register(MENTION, _("Mentions of me"), Frequency.IMMEDIATELY)
    audiences.register(MEMBERS, group_members)
    audiences.register(THREAD_PARTICIPANTS, thread_participants)
