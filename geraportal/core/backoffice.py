"""The back-office start page (`/staff/`): what waits for a staff member, and their tasks.

`geraportal` imports no domain app, so the apps tell the start page what they have, in
their `AppConfig.ready()` (like the home-page sections in `sections.py`):

    backoffice.register_todos("ideas.reports", collect=lambda user: [...], order=10)
    backoffice.register_task("ideas.competitions", area=backoffice.PROCESS,
                             label=_("Ideas competitions"), url="staff:competition_list",
                             perm="ideas.change_competition", order=20)

A to-do source returns the items waiting for *this* user (empty when they may not act on
them: the source applies its app's rules); each item links to where it is done. A task is
shown when the user has its permission.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The areas of the start page, in this order.
PROCESS = "process"
CONTENT = "content"
TABLES = "tables"
ADMIN = "admin"
AREAS: dict[str, Promise] = {
    PROCESS: _("The participation process"),
    CONTENT: _("News, workshops and newsletter"),
    TABLES: _("Working groups and tables"),
    ADMIN: _("Administration"),
}


@dataclass(frozen=True)
class Todo:
    """Something waiting: "3 reports to moderate", with the address where it is done."""

    text: str
    url: str
    count: int = 1


@dataclass(frozen=True)
class TodoSource:
    name: str
    collect: Callable[[Any], list[Todo]]
    order: int


@dataclass(frozen=True)
class Task:
    name: str
    area: str
    label: str | Promise
    url: str
    perm: str
    order: int
    kwargs: dict[str, Any] = field(default_factory=dict)


_todos: dict[str, TodoSource] = {}
_tasks: dict[str, Task] = {}


def register_todos(name: str, *, collect: Callable[[Any], list[Todo]], order: int = 50) -> None:
    """Register a source of waiting items; registering a name again replaces it."""
    _todos[name] = TodoSource(name=name, collect=collect, order=order)


def register_task(
    name: str, *, area: str, label: str | Promise, url: str, perm: str, order: int = 50
) -> None:
    """Register a link to a staff task (`url` is a URL name without arguments)."""
    if area not in AREAS:
        raise ValueError(f"unknown back-office area {area!r}")
    _tasks[name] = Task(name=name, area=area, label=label, url=url, perm=perm, order=order)


def unregister(name: str) -> None:
    _todos.pop(name, None)
    _tasks.pop(name, None)


def todos(user: Any) -> list[Todo]:
    """Everything waiting for `user`, in the sources' order."""
    items: list[Todo] = []
    for source in sorted(_todos.values(), key=lambda s: (s.order, s.name)):
        items.extend(source.collect(user))
    return items


def tasks(user: Any) -> list[dict[str, Any]]:
    """The tasks `user` may do, grouped by area: [{"label": area label, "tasks": [{label, url}]}]."""
    grouped: dict[str, list[dict[str, Any]]] = {area: [] for area in AREAS}
    for task in sorted(_tasks.values(), key=lambda t: (t.order, t.name)):
        if user.has_perm(task.perm):
            grouped[task.area].append({"label": task.label, "url": reverse(task.url)})
    return [{"label": AREAS[area], "tasks": items} for area, items in grouped.items() if items]


def task_names() -> list[str]:
    return sorted(_tasks)


def registered_tasks() -> list[Task]:
    return sorted(_tasks.values(), key=lambda t: (t.order, t.name))
