"""What ideas put on the back-office start page: what waits, and the tasks."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from geraportal.core import backoffice

from .models import Competition, Report
from .predicates import moderated_theme_ids
from .selectors import ideas_waiting_for_reply


def todos(user) -> list[backoffice.Todo]:
    items = []
    themes = moderated_theme_ids(user)  # None: the team, every theme; empty: nobody's moderator
    if themes is None or themes:
        reports = Report.objects.filter(resolved_at__isnull=True)
        if themes is not None:
            reports = reports.filter(idea__theme_id__in=themes)
        count = reports.count()
        if count:
            text = ngettext("%(count)d report to moderate", "%(count)d reports to moderate", count) % {
                "count": count
            }
            items.append(backoffice.Todo(text=text, url=reverse("ideas:moderation"), count=count))
        days = settings.IDEAS_REPLY_DAYS
        count = ideas_waiting_for_reply(user=user, days=days).count()
        if count:
            text = ngettext(
                "%(count)d idea without a reply for more than %(days)d days",
                "%(count)d ideas without a reply for more than %(days)d days",
                count,
            ) % {"count": count, "days": days}
            url = reverse("ideas:moderation")
            items.append(backoffice.Todo(text=text, url=url, count=count))
    if user.has_perm("ideas.publish_ranking"):
        due = Competition.objects.filter(
            submission_end__lte=timezone.now(), ranking_published_at__isnull=True
        ).order_by("results_at")
        for competition in due:
            text = _("Publish the ranking of the competition “%(title)s” (announced for %(date)s)") % {
                "title": competition.title,
                "date": timezone.localtime(competition.results_at).strftime("%d.%m.%Y"),
            }
            items.append(
                backoffice.Todo(text=text, url=reverse("staff:competition_ranking", args=[competition.pk]))
            )
    return items


def register() -> None:
    process, tables = backoffice.PROCESS, backoffice.TABLES
    backoffice.register_todos("ideas", collect=todos, order=10)
    backoffice.register_task(
        "ideas.moderation", area=process, label=gettext_lazy("Moderation: reports and hidden contributions"),
        url="ideas:moderation", perm="ideas.view_moderation_queue", order=10,
    )  # fmt: skip
    backoffice.register_task(
        "ideas.contribution", area=process,
        label=gettext_lazy("Enter an idea from a workshop, a call or a letter"),
        url="staff:contribution_create", perm="ideas.enter_on_behalf", order=15,
    )  # fmt: skip
    backoffice.register_task(
        "ideas.competitions", area=process, label=gettext_lazy("Ideas competitions and their jury"),
        url="staff:competition_list", perm="ideas.change_competition", order=20,
    )  # fmt: skip
    backoffice.register_task(
        "ideas.stats", area=tables, label=gettext_lazy("Contributions by source"),
        url="staff:contribution_stats", perm="ideas.enter_on_behalf", order=60,
    )  # fmt: skip
