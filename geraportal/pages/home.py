"""Sections of the home page contributed by the domain apps.

`geraportal` imports no domain app; each app registers what it shows on the home page in
its AppConfig.ready(), e.g. `home.register("workgroups", template=..., context=..., order=20)`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomeSection:
    name: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int


_sections: dict[str, HomeSection] = {}


def register(name: str, *, template: str, context: Callable[[Any], dict[str, Any]], order: int = 50) -> None:
    _sections[name] = HomeSection(name=name, template=template, context=context, order=order)


def render_sections(request) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "template": s.template, "context": s.context(request)}
        for s in sorted(_sections.values(), key=lambda s: (s.order, s.name))
    ]
