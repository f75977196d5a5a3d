"""Reminders to update the strategy, sent to the SMARTCity team and the group moderators.

Two kinds, both recorded in `StrategyReminder` so each goes out once: the due-date reminders
(90/30/7 days before the schedule's deadline, then "overdue"), and one reminder when each
working phase of an edition's cycle begins (the groups' review, the team's decision, the
strategy group's approval), to the people who act in that phase.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from geraportal.notifications.services import notify

from .models import Phase, StrategyEdition, StrategyReminder
from .notifications import STRATEGY
from .schedule import due_date, next_due, next_due_year

OVERDUE = "overdue"

# Other apps add people to remind (the working groups add their moderators) without
# `geraportal` importing them.
_recipient_sources: dict[str, Callable[[], Iterable]] = {}


def register_recipients(name: str, source: Callable[[], Iterable]) -> None:
    _recipient_sources[name] = source


def _group(name: str) -> dict:
    return {user.pk: user for user in Group.objects.get(name=name).user_set.filter(is_active=True)}


def recipients() -> list:
    people = _group(SMARTCITY_TEAM)
    for source in _recipient_sources.values():
        people.update({user.pk: user for user in source()})
    return list(people.values())


def phase_recipients(phase: Phase) -> list:
    """Who acts in `phase`: the moderators review, the team decides, the strategy group approves."""
    if phase == Phase.REVIEW:
        return recipients()
    people = _group(SMARTCITY_TEAM)
    if phase == Phase.APPROVAL:
        people.update(_group(STRATEGY_GROUP))
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


PHASE_REMINDERS = (Phase.REVIEW, Phase.DECISION, Phase.APPROVAL)


def phase_reminders_send(*, today: date) -> list[StrategyReminder]:
    """When a working phase of an edition's cycle has begun, remind its people once."""
    sent = []
    editions = StrategyEdition.objects.filter(
        published_at__isnull=True, approved_at__isnull=True, consultation_starts__isnull=False
    )
    for edition in editions:
        phase = edition.phase(today)
        if phase not in PHASE_REMINDERS:
            continue
        due = due_date(next_due_year(edition.year))
        try:
            with transaction.atomic():
                reminder = StrategyReminder.objects.create(due_date=due, offset=phase.value)
                event = notify(
                    kind=STRATEGY,
                    recipients=phase_recipients(phase),
                    event_key=f"strategy.phase:{edition.pk}:{phase.value}",
                    template="strategy/notifications/phase",
                    context={"year": edition.year, "phase": phase.value, "due_date": due.isoformat()},
                    url=reverse("strategy:edition", kwargs={"year": edition.year}),
                )
                reminder.recipient_count = len(event.recipient_ids) if event else 0
                reminder.save(update_fields=["recipient_count"])
        except IntegrityError:  # this phase's reminder went out already
            continue
        sent.append(reminder)
    return sent
