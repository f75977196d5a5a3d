"""Reminders to update the strategy, sent to the SMARTCity team and the group moderators."""

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.notifications.services import notify

from .models import StrategyEdition, StrategyReminder
from .notifications import STRATEGY
from .schedule import next_due

OVERDUE = "overdue"

# Other apps add people to remind (the working groups add their moderators) without
# `geraportal` importing them.
_recipient_sources: dict[str, Callable[[], Iterable]] = {}


def register_recipients(name: str, source: Callable[[], Iterable]) -> None:
    _recipient_sources[name] = source


def recipients() -> list:
    team = Group.objects.get(name=SMARTCITY_TEAM).user_set.filter(is_active=True)
    people = {user.pk: user for user in team}
    for source in _recipient_sources.values():
        people.update({user.pk: user for user in source()})
    return list(people.values())


def current_due(*, today: date) -> date:
    last = StrategyEdition.objects.published().order_by("-year").values_list("year", flat=True).first()
    return next_due(today=today, last_published_year=last)


def reminder_due(*, today: date, due: date, offsets: Iterable[int]) -> str | None:
    """Which reminder belongs to `today`: the closest offset already reached, or overdue."""
    if today > due:
        return OVERDUE
    days_left = (due - today).days
    reached = [offset for offset in offsets if days_left <= offset]
    return str(min(reached)) if reached else None


def reminders_send(*, today: date) -> StrategyReminder | None:
    """Send today's reminder if one is due and was not sent before (run daily by beat)."""
    due = current_due(today=today)
    offset = reminder_due(today=today, due=due, offsets=settings.STRATEGY_REMINDER_DAYS)
    if offset is None:
        return None
    try:
        with transaction.atomic():
            reminder = StrategyReminder.objects.create(due_date=due, offset=offset)
            people = recipients()
            # A few dozen named people (the team and the moderators), so no audience is needed.
            event = notify(
                kind=STRATEGY,
                recipients=people,
                event_key=f"strategy.reminder:{due.isoformat()}:{offset}",
                template="strategy/notifications/reminder",
                context={
                    "due_date": due.isoformat(),
                    "days_left": (due - today).days,
                    "overdue": offset == OVERDUE,
                },
                url=reverse("strategy:staff"),
            )
            reminder.recipient_count = len(event.recipient_ids) if event else 0
            reminder.save(update_fields=["recipient_count"])
    except IntegrityError:  # sent already (this run or a parallel one)
        return None
    return reminder
