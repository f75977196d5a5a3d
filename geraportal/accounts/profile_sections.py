"""Sections of a person's profile page contributed by the domain apps.

`accounts` imports no domain app; each app registers what it shows on the profile page in its
AppConfig.ready(), e.g. `profile_sections.register("pilots", template=..., context=...)`,
where `context(user)` returns the template's context (it does the querying, not the template).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    name: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int


_sections: dict[str, ProfileSection] = {}


def register(name: str, *, template: str, context: Callable[[Any], dict[str, Any]], order: int = 50) -> None:
    _sections[name] = ProfileSection(name=name, template=template, context=context, order=order)


def render_sections(user) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "template": s.template, "context": s.context(user)}
        for s in sorted(_sections.values(), key=lambda s: (s.order, s.name))
    ]
