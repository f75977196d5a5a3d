"""Kinds are registered by the apps that own them; notifications holds no list of its own."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from geraportal.notifications import kinds, services
from geraportal.notifications.kinds import Frequency
from tests.accounts.factories import UserFactory

OWNED = [
    "strategy", "strategy_update", "roles", "workgroup", "mention", "idea_status", "followed",
    "pilot_update", "plenary", "webhooks",
]  # fmt: skip


def test_every_app_registers_its_kinds_with_the_strings_that_are_stored():
    assert kinds.values() == OWNED  # in INSTALLED_APPS order: stable


def test_an_unregistered_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown notification kind"):
        services.notify(kind="gossip", recipients=[], event_key="x", template="t", context={}, url="/")


def test_a_kind_registered_twice_with_other_defaults_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        kinds.register("idea_status", "Status", Frequency.NEVER)


@pytest.mark.django_db
def test_the_preferences_page_lists_the_registered_kinds_in_their_order(client):
    client.force_login(UserFactory())
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert list(form.fields) == OWNED
