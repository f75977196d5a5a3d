"""Later packages hear of recorded events through listeners, keyed by the event key's prefix."""

import pytest

from geraportal.notifications import listeners, services
from geraportal.notifications.models import NotificationEvent
from ideas.notifications import IDEA_STATUS
from tests.notifications.delivery import fan_out_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []
    listeners.register("tests.heard", calls.append, name="tests")
    yield calls
    listeners.unregister("tests.heard", name="tests")


def record(key: str):
    return services.notify(kind=IDEA_STATUS, event_key=key, template="t", context={}, url="/")


def test_an_event_for_nobody_is_recorded_only_if_a_listener_wants_it(heard):
    assert record("tests.unheard:1") is None
    event = record("tests.heard:1")
    assert event is not None and NotificationEvent.objects.count() == 1
    fan_out_events()
    assert heard == [event]


def test_the_listener_is_called_once_per_fan_out_and_again_only_if_the_fan_out_repeats(heard):
    event = record("tests.heard:2")
    fan_out_events()
    fan_out_events()
    assert heard == [event]


def test_a_failing_listener_leaves_the_event_for_the_sweep():
    def broken(event):
        raise RuntimeError("listener down")

    listeners.register("tests.broken", broken, name="tests")
    try:
        event = record("tests.broken:1")
        with pytest.raises(RuntimeError):
            services.event_fan_out(event_id=event.pk)
        event.refresh_from_db()
        assert event.fanned_out_at is None
    finally:
        listeners.unregister("tests.broken", name="tests")


def test_a_prefix_has_no_colon():
    with pytest.raises(ValueError):
        listeners.register("a:b", print, name="tests")
