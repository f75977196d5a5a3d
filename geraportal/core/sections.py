"""A page made of sections that other apps contribute.

`geraportal` imports no domain app, and an earlier app never imports a later one; a page that
shows parts of later apps (the home page, a person's profile, a working group's page) owns a
`SectionRegistry`, and the later apps register their part in `AppConfig.ready()`:

    home.sections.register("pilots", template="pilots/includes/home_section.html",
                           context=lambda request: {...}, order=30)

The page calls `sections.render(...)` with the arguments its sections' `context` functions take
(the request; the user; the group and the user) and includes each section's template with the
returned context. A context function does the querying, not the template, and applies its own
visibility rules, like any list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")


@dataclass(frozen=True)
class Section(Generic[P]):
    name: str
    template: str
    context: Callable[P, dict[str, Any]]
    order: int


class SectionRegistry(Generic[P]):
    """Named sections, shown in (order, name) order; registering a name again replaces it."""

    def __init__(self) -> None:
        self._sections: dict[str, Section[P]] = {}

    def register(
        self, name: str, *, template: str, context: Callable[P, dict[str, Any]], order: int = 50
    ) -> None:
        self._sections[name] = Section(name=name, template=template, context=context, order=order)

    def unregister(self, name: str) -> None:
        self._sections.pop(name, None)

    def render(self, *args: P.args, **kwargs: P.kwargs) -> list[dict[str, Any]]:
        return [
            {"name": s.name, "template": s.template, "context": s.context(*args, **kwargs)}
            for s in sorted(self._sections.values(), key=lambda s: (s.order, s.name))
        ]
