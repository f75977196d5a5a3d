"""Working-group moderators are reminded to update the strategy, like the SMARTCity team."""

from datetime import date

import pytest
from django.utils import timezone

from geraportal.accounts.roles import SMARTCITY_TEAM
from geraportal.notifications.models import Notification
from geraportal.strategy import reminders
from geraportal.strategy.models import StrategyEdition
from tests.accounts.factories import UserFactory
from tests.notifications.delivery import fan_out_events

from .factories import MembershipFactory, group

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy_due(settings):
    """The 2026 update is due on 31 December 2026; reminders 90, 30 and 7 days before."""
    settings.STRATEGY_DUE_MONTH_DAY = (12, 31)
    settings.STRATEGY_REMINDER_DAYS = [90, 30, 7]
    for year in (2022, 2023, 2024, 2025):
        StrategyEdition.objects.create(
            year=year, title=f"Strategie {year}", summary="…", published_at=timezone.now()
        )


def test_group_moderator_receives_the_strategy_reminder(strategy_due, energy, moderator, member):
    team = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])

    reminder = reminders.reminders_send(today=date(2026, 12, 1))

    assert reminder.offset == "30"
    fan_out_events()
    assert Notification.objects.filter(recipient=moderator, kind="strategy").count() == 1
    fan_out_events()
    assert Notification.objects.filter(recipient=team, kind="strategy").exists()
    fan_out_events()
    assert not Notification.objects.filter(recipient=member).exists()


def test_moderator_of_two_groups_is_reminded_once_and_inactive_ones_not_at_all(
    strategy_due, energy, business, moderator
):
    MembershipFactory(group=business, user=moderator, role="moderator")
    gone = MembershipFactory(
        group=group("wirtschaft"), role="moderator", user=UserFactory(is_active=False)
    ).user

    reminder = reminders.reminders_send(today=date(2026, 12, 1))

    fan_out_events()
    assert Notification.objects.filter(recipient=moderator, kind="strategy").count() == 1
    fan_out_events()
    assert not Notification.objects.filter(recipient=gone).exists()
    assert reminder.recipient_count == 1


def test_moderators_are_registered_as_reminder_recipients(energy, moderator, member):
    assert reminders.recipients() == [moderator]
