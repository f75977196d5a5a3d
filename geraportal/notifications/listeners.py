"""Later packages that want to hear of recorded events, not only people.

`notifications` knows no domain, so it cannot say which events matter to another system.
A package that does (the webhooks in `api.webhooks`) registers a listener for the event
keys it understands, by their prefix — the part before the first colon, which the owning
app chooses (`pilots.status:<id>` → `pilots.status`):

    listeners.register("pilots.status", on_pilot_status)

The fan-out task calls each matching listener once per recorded event, after the people
are notified and before the event counts as fanned out, so the event sweep calls it again
if the task was lost. Listeners must therefore be idempotent (a unique constraint, not a
check before an insert), and they run in their own transaction.

An event that tells nobody in the portal (an idea was published) is still recorded when a
listener wants its key: see `notify()`.
"""

from collections.abc import Callable
from typing import Any

Listener = Callable[[Any], None]

_listeners: dict[str, dict[str, Listener]] = {}


def prefix_of(event_key: str) -> str:
    return event_key.split(":", 1)[0]


def register(prefix: str, listener: Listener, *, name: str) -> None:
    """Call `listener(event)` for every recorded event whose key starts with `prefix:`.

    `name` identifies the listener, so registering it again (a second `ready()`) replaces it.
    """
    if ":" in prefix:
        raise ValueError(f"A listener prefix has no colon: {prefix!r}.")
    _listeners.setdefault(prefix, {})[name] = listener


def unregister(prefix: str, *, name: str) -> None:
    _listeners.get(prefix, {}).pop(name, None)


def for_key(event_key: str) -> list[Listener]:
    return list(_listeners.get(prefix_of(event_key), {}).values())


def wanted(event_key: str) -> bool:
    return bool(_listeners.get(prefix_of(event_key)))
