"""How a discussion thread can point at objects of later apps (ideas, pilot projects).

`workgroups` comes first in the pipeline and must not import `ideas` or `pilots`. So those
apps register a *kind* here from their AppConfig.ready():

    from workgroups import references
    references.register(references.Kind(
        name="idea",
        label=_("Idea"),
        parse_url=lambda path: ...,            # "/ideas/42/" -> 42, or None
        describe=lambda ids, user: {...},      # {42: Target(title, url)} for what `user` may see
    ))

A thread stores (kind, object_id) rows (`ThreadReference`); the other direction — "threads
about this idea" — is `threads_referencing(kind=..., object_id=..., user=...)`, which
the idea's page calls. No generic foreign key, no content types: each kind answers for
its own objects, including who may see them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Target:
    title: str
    url: str


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any
    parse_url: Callable[[str], int | None]
    describe: Callable[[Iterable[int], Any], dict[int, Target]]


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kinds() -> list[Kind]:
    return list(_kinds.values())


def parse(url: str) -> tuple[str, int] | None:
    """(kind, id) for a URL (absolute or a path) that a registered kind recognises."""
    path = urlsplit(url.strip()).path
    for kind in _kinds.values():
        object_id = kind.parse_url(path)
        if object_id is not None:
            return kind.name, object_id
    return None


def describe(pairs: Iterable[tuple[str, int]], user) -> list[tuple[Kind, int, Target]]:
    """The targets `user` may see, in the order given; unknown or hidden ones are left out."""
    wanted: dict[str, list[int]] = {}
    pairs = list(pairs)
    for name, object_id in pairs:
        wanted.setdefault(name, []).append(object_id)
    found: dict[tuple[str, int], Target] = {}
    for name, ids in wanted.items():
        kind = _kinds.get(name)
        if kind is None:
            continue
        for object_id, target in kind.describe(ids, user).items():
            found[(name, object_id)] = target
    return [(_kinds[n], i, found[(n, i)]) for n, i in pairs if (n, i) in found]
