"""What the plenary puts on the back-office start page: polls to open, close, count or publish."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geraportal.core import backoffice

from .models import Poll


def todos(user) -> list[backoffice.Todo]:
    if not user.has_perm("plenary.manage"):
        return []
    now = timezone.now()
    items = []
    for poll in Poll.objects.exclude(status=Poll.Status.PUBLISHED).select_related("meeting").order_by("pk"):
        text = None
        if poll.status == Poll.Status.DRAFT and (
            (poll.opens_at and poll.opens_at <= now) or (poll.meeting and poll.meeting.starts_at <= now)
        ):
            text = _("Open the poll “%(title)s”")
        elif poll.status == Poll.Status.OPEN and poll.closes_at and poll.closes_at <= now:
            text = _("Close the poll “%(title)s” (its closing time has passed)")
        elif poll.awaits_count:
            text = _("Count the ballots of the poll “%(title)s”")
        elif poll.status == Poll.Status.CLOSED:
            text = _("Publish the result of the poll “%(title)s”")
        if text:
            items.append(backoffice.Todo(text=text % {"title": poll.title}, url=poll.get_absolute_url()))
    return items


def register() -> None:
    backoffice.register_todos("plenary", collect=todos, order=40)
    backoffice.register_task(
        "plenary", area=backoffice.PROCESS, label=gettext_lazy("Plenary: meetings, agendas and polls"),
        url="staff:plenary_list", perm="plenary.manage", order=40,
    )  # fmt: skip
