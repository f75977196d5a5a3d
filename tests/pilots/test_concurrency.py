"""Selections for the city council under concurrency, on PostgreSQL (each thread its own connection)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from geraportal.accounts.roles import STRATEGY_GROUP
from pilots import services
from pilots.models import Pilot
from tests.accounts.factories import UserFactory, give_mfa

from .factories import PilotFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def strategy_members(count: int):
    users = [UserFactory(roles=[STRATEGY_GROUP]) for _ in range(count)]
    for user in users:
        give_mfa(user)
    return users


def race(first, second, monkeypatch):
    """Run `first` and `second` in two threads; `second` starts while `first` is still inside
    its transaction (after counting and writing, before committing)."""
    first_inside = threading.Event()
    real_tell = services._tell_status

    def tell_then_linger(*args, **kwargs):
        real_tell(*args, **kwargs)
        if threading.current_thread().name == "first":
            first_inside.set()
            # Give the second selection time to count — or to wait for the lock.
            threading.Event().wait(1.0)

    monkeypatch.setattr(services, "_tell_status", tell_then_linger)
    outcomes: dict[str, str] = {}

    def run(name, job, wait_for=None):
        try:
            if wait_for is not None:
                assert wait_for.wait(10)
            with translation.override("en"):
                job()
            outcomes[name] = "selected"
        except services.PilotStateError as refusal:
            outcomes[name] = " ".join(refusal.messages)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("first", first), name="first"),
        threading.Thread(target=run, args=("second", second, first_inside), name="second"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_strategy_members_selecting_the_last_place_at_once_select_only_one(settings, monkeypatch):
    assert connection.vendor == "postgresql"
    settings.PILOTS_MAX_SELECTED = 2
    alice, bob = strategy_members(2)
    PilotFactory(status="selected", plenary_rank=1)
    a = PilotFactory(status="prioritised", plenary_rank=2)
    b = PilotFactory(status="prioritised", plenary_rank=3)

    outcomes = race(
        lambda: services.pilot_select(
            pilot=a, by=alice, rationale="Hoher Nutzen.", expected_status="prioritised"
        ),
        lambda: services.pilot_select(pilot=b, by=bob, rationale="Günstig.", expected_status="prioritised"),
        monkeypatch,
    )

    assert Pilot.objects.filter(status="selected").count() == 2
    assert outcomes["first"] == "selected"
    assert outcomes["second"] == "At most 2 pilot projects can be proposed to the city council at a time."
    assert Pilot.objects.get(pk=b.pk).status == "prioritised"


def test_proposing_to_the_council_while_another_member_selects_keeps_the_limit(settings, monkeypatch):
    settings.PILOTS_MAX_SELECTED = 2
    alice, bob = strategy_members(2)
    PilotFactory(status="selected", plenary_rank=1)
    a = PilotFactory(status="prioritised", plenary_rank=2)
    b = PilotFactory(status="prioritised", plenary_rank=3)

    outcomes = race(
        lambda: services.pilot_select(
            pilot=a, by=alice, rationale="Hoher Nutzen.", expected_status="prioritised"
        ),
        lambda: services.pilots_propose_to_council(by=bob, selections={b.pk: "Günstig."}),
        monkeypatch,
    )

    assert Pilot.objects.filter(status="selected").count() == 2
    assert outcomes["first"] == "selected"
    assert outcomes["second"] == (
        "You selected 1 pilot projects, but at most 2 can be proposed to the city council "
        "(2 of them are already selected). Please select fewer."
    )
