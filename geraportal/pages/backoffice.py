"""What `geraportal` itself puts on the back-office start page: news, workshops, the
newsletter and the strategy update (whose page the strategy app owns, under /staff/strategy/)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geraportal.core import backoffice


def strategy_todos(user) -> list[backoffice.Todo]:
    """The next strategy update, once its first reminder is due (or overdue)."""
    from geraportal.strategy import reminders

    if not user.has_perm("strategy.manage"):
        return []
    today = timezone.localdate()
    due = reminders.current_due(today=today)
    offsets = settings.STRATEGY_REMINDER_DAYS
    if reminders.reminder_due(today=today, due=due, offsets=offsets) is None:
        return []
    text = (
        _("The strategy update was due on %(date)s.")
        if due < today
        else _("The next strategy update is due on %(date)s.")
    ) % {"date": due.strftime("%d.%m.%Y")}
    return [backoffice.Todo(text=text, url=reverse("strategy:staff"))]


def register() -> None:
    process, content = backoffice.PROCESS, backoffice.CONTENT
    backoffice.register_todos("strategy", collect=strategy_todos, order=90)
    backoffice.register_task(
        "strategy", area=process, label=gettext_lazy("Strategy updates"), url="strategy:staff",
        perm="strategy.manage", order=90,
    )  # fmt: skip
    backoffice.register_task(
        "pages.news", area=content, label=gettext_lazy("News posts"), url="staff:news_list",
        perm="pages.change_newspost", order=10,
    )  # fmt: skip
    backoffice.register_task(
        "pages.events", area=content, label=gettext_lazy("Workshops and what came out of them"),
        url="staff:event_list", perm="pages.change_event", order=20,
    )  # fmt: skip
    backoffice.register_task(
        "pages.accessibility_feedback", area=content, label=gettext_lazy("Accessibility feedback"),
        url="staff:accessibility_feedback_list", perm="pages.view_accessibilityfeedback", order=25,
    )  # fmt: skip
    backoffice.register_task(
        "newsletter", area=content, label=gettext_lazy("Newsletter"), url="staff:newsletter_list",
        perm="newsletter.send_newsletter", order=30,
    )  # fmt: skip
    backoffice.register_task(
        "newsletter.subscribers", area=content, label=gettext_lazy("Newsletter subscribers"),
        url="staff:newsletter_subscribers", perm="newsletter.view_newslettersubscriber", order=40,
    )  # fmt: skip
