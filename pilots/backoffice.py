"""What pilots put on the back-office start page, and the "propose as a pilot" action on ideas."""

import rules
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geraportal.core import backoffice

from .models import Pilot

# Whose next step is due, per status: (who acts, the words).
WAITING = {
    Pilot.Status.PRIORITISED: (
        "pilots.select_pilot",
        gettext_lazy("waits for the strategy group's selection"),
    ),
    Pilot.Status.SELECTED: ("pilots.decide_pilot", gettext_lazy("waits for the city council's decision")),
}


def todos(user) -> list[backoffice.Todo]:
    items = []
    today = timezone.localdate()
    for status, (perm, words) in WAITING.items():
        if not user.has_perm(perm):
            continue
        for pilot in Pilot.objects.filter(status=status).order_by("title").only("title", "slug"):
            items.append(backoffice.Todo(text=f"{pilot.title}: {words}", url=pilot.get_absolute_url()))
    if user.has_perm("pilots.tender_pilot"):
        due = Pilot.objects.filter(
            Q(status__in=[Pilot.Status.APPROVED, Pilot.Status.TENDERING], planned_start__lte=today)
            | Q(status=Pilot.Status.IMPLEMENTATION, planned_end__lte=today)
        ).order_by("title")
        for pilot in due.only("title", "slug", "status"):
            text = _("%(title)s: the planned date of the next step has passed (now: %(status)s)") % {
                "title": pilot.title,
                "status": pilot.get_status_display(),
            }
            items.append(backoffice.Todo(text=text, url=pilot.get_absolute_url()))
    return items


def idea_action(idea, user) -> dict:
    """ "Propose as a pilot" for those who may start a draft in the idea's working group."""
    if idea.hidden or not user.is_authenticated:
        return {}
    if not rules.has_perm("pilots.add_pilot", user, idea.theme):
        return {}
    return {"can_propose": True, "idea_pk": idea.pk}


def register() -> None:
    from ideas import idea_page

    process, tables = backoffice.PROCESS, backoffice.TABLES
    backoffice.register_todos("pilots", collect=todos, order=30)
    backoffice.register_task(
        "pilots.new", area=process, label=gettext_lazy("New pilot project (draft)"), url="pilots:create",
        perm="pilots.add_pilot", order=30,
    )  # fmt: skip
    backoffice.register_task(
        "pilots.board", area=process, label=gettext_lazy("Pilot projects by status"), url="pilots:board",
        perm="pilots.manage_progress", order=31,
    )  # fmt: skip
    backoffice.register_task(
        "pilots.selection", area=process, label=gettext_lazy("Selection for the city council"),
        url="pilots:selection", perm="pilots.view_selection", order=50,
    )  # fmt: skip
    backoffice.register_task(
        "pilots.organisations", area=tables, label=gettext_lazy("Organisations carrying out pilots"),
        url="staff:organisation_list", perm="pilots.change_organisation", order=50,
    )  # fmt: skip
    idea_page.actions.register("pilots", template="pilots/includes/idea_propose.html", context=idea_action)
