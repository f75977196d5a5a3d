"""Demo content for `manage.py seed_demo`.

Each app that has demo content puts a `demo.py` module next to its models and registers
a step with `@demo.step(order=...)`; `seed_demo` discovers them the way the admin
discovers `admin.py`. Every step must be idempotent: running the command twice creates
nothing twice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Reporter(Protocol):
    def __call__(self, message: str) -> None: ...


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: Callable[[Reporter], None]


_steps: dict[str, Step] = {}

DEMO_PASSWORD = "gera-demo-2026"


def step(*, order: int) -> Callable[[Callable[[Reporter], None]], Callable[[Reporter], None]]:
    def register(func: Callable[[Reporter], None]) -> Callable[[Reporter], None]:
        name = f"{func.__module__}.{func.__name__}"
        _steps[name] = Step(name=name, order=order, run=func)
        return func

    return register


def steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))
