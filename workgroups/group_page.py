"""Sections that later apps add to a working group's page (its ideas, the pilots it proposed).

`workgroups` must not import `ideas` or `pilots`; they register here from AppConfig.ready():

    from workgroups import group_page
    group_page.register(
        "ideas",
        template="ideas/includes/group_ideas.html",
        context=lambda group, user: {"ideas": list(...visible_to(user).filter(theme=group)[:5])},
        order=10,
    )

Each section's template gets `group` and `section` (the dict from `context`). A section's
context function must apply its own visibility rules, like any list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GroupSection:
    name: str
    template: str
    context: Callable[[Any, Any], dict[str, Any]]
    order: int


_sections: dict[str, GroupSection] = {}


def register(
    name: str, *, template: str, context: Callable[[Any, Any], dict[str, Any]], order: int = 50
) -> None:
    _sections[name] = GroupSection(name=name, template=template, context=context, order=order)


def unregister(name: str) -> None:
    _sections.pop(name, None)


def render_sections(group, user) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "template": s.template, "context": s.context(group, user)}
        for s in sorted(_sections.values(), key=lambda s: (s.order, s.name))
    ]
