"""What a notification is about: kinds are registered by the app that owns them.

`notifications` knows no domain, so it holds no list of kinds: each app calls `register()`
in its `AppConfig.ready()`. The database stores the kind as a plain string (no choices, no
check constraint), so a new kind needs no migration here; `validate()` refuses unknown ones.
Users choose per kind how they hear of it; the preferences page lists the kinds in the order
they were registered, which follows INSTALLED_APPS and is therefore stable.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    NEVER = "never", _("never")


@dataclass(frozen=True)
class RegisteredKind:
    value: str
    label: str | Promise
    default_frequency: str


_kinds: dict[str, RegisteredKind] = {}


def register(kind: str, label: str | Promise, default_frequency: str) -> None:
    """Register a kind once; registering the same kind again with the same defaults is harmless."""
    entry = RegisteredKind(kind, label, Frequency(default_frequency).value)
    if len(kind) > 20:
        raise ImproperlyConfigured(f"Notification kind {kind!r} is longer than 20 characters.")
    existing = _kinds.get(kind)
    if existing is not None and existing.default_frequency != entry.default_frequency:
        raise ImproperlyConfigured(f"Notification kind {kind!r} is registered twice, differently.")
    _kinds[kind] = entry


def registered() -> list[RegisteredKind]:
    return list(_kinds.values())


def values() -> list[str]:
    return list(_kinds)


def validate(kind: str) -> RegisteredKind:
    """The registered kind, or ValueError for one no app registered."""
    try:
        return _kinds[kind]
    except KeyError:
        raise ValueError(f"Unknown notification kind {kind!r}; register it in its app's ready().") from None


def label(kind: str) -> str:
    return str(validate(kind).label)


def default_frequency(kind: str) -> str:
    return validate(kind).default_frequency
