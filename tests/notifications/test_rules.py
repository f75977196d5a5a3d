"""Who may do what in notifications and the newsletter: every registered permission × every role.

The table is checked against the permissions the two apps register with `rules`, so a
permission added without a row here fails `test_every_permission_has_a_row`.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from tests.accounts.factories import UserFactory, give_mfa

APPS = ("notifications", "newsletter")
ROLES = [
    "anonymous",
    "citizen",
    "other_citizen",
    "team_with_2fa",
    "team_without_2fa",
    "strategy_group",
    "superuser_with_2fa",
    "superuser_without_2fa",
]
# Only those who run the portal, with a second factor: the outbox shows other people's
# addresses, and the newsletter reaches every subscriber.
STAFF = {"team_with_2fa", "superuser_with_2fa"}

TABLE: dict[str, set[str]] = {
    "notifications": STAFF,  # the app in the admin index
    "notifications.view_outboxemail": STAFF,
    "notifications.change_outboxemail": STAFF,
    "notifications.view_notification": STAFF,
    "notifications.view_notificationevent": STAFF,
    "newsletter": STAFF,
    "newsletter.send_newsletter": STAFF,
    "newsletter.view_newslettersubscriber": STAFF,
}


def registered() -> set[str]:
    return {name for name in rules.permissions.permissions if name.split(".")[0] in APPS}


def test_every_permission_has_a_row():
    assert registered() == set(TABLE)


@pytest.fixture
def people(db):
    from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP

    team_with, team_without = UserFactory(roles=[SMARTCITY_TEAM]), UserFactory(roles=[SMARTCITY_TEAM])
    give_mfa(team_with)
    super_with = UserFactory(is_superuser=True, is_staff=True)
    give_mfa(super_with)
    return {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "other_citizen": UserFactory(),
        "team_with_2fa": team_with,
        "team_without_2fa": team_without,
        "strategy_group": UserFactory(roles=[STRATEGY_GROUP]),
        "superuser_with_2fa": super_with,
        "superuser_without_2fa": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.mark.parametrize("perm", sorted(TABLE))
def test_permission_matrix(people, perm):
    answers = {role: rules.has_perm(perm, people[role]) for role in ROLES}
    assert answers == {role: role in TABLE[perm] for role in ROLES}
