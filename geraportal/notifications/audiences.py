"""Named audiences: who hears of an event, worked out after commit by the fan-out task.

An app registers a resolver in its `AppConfig.ready()`; the resolver takes the JSON arguments
the event recorded and returns the ids of the people concerned (a queryset of ids is best:
the fan-out reads it in batches). Resolving happens when the task runs, so a person who
unfollowed, or an idea hidden, in between is respected. The fan-out itself removes the actor
and inactive or deleted accounts; resolvers need not.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

Resolver = Callable[..., Iterable[int]]

_resolvers: dict[str, Resolver] = {}


def register(name: str, resolver: Resolver) -> None:
    if name in _resolvers and _resolvers[name] is not resolver:
        raise ImproperlyConfigured(f"Audience {name!r} is registered twice.")
    _resolvers[name] = resolver


def is_registered(name: str) -> bool:
    return name in _resolvers


def resolve(name: str, args: dict) -> Iterable[int]:
    try:
        resolver = _resolvers[name]
    except KeyError:
        raise ValueError(f"Unknown audience {name!r}; register it in its app's ready().") from None
    return resolver(**args)
