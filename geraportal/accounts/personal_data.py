"""The registry through which every app contributes to "download my data" and "delete my account".

`accounts` imports no domain app: each app registers its part in its AppConfig.ready():

    personal_data.register(
        "ideas",
        export=lambda user: {...},            # JSON-serialisable data of this user
        erase=lambda user, *, delete_contributions: ...,  # called inside the deletion transaction
    )
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[..., None] | None = None


_sections: dict[str, Section] = {}


def register(name: str, *, export: Callable[[Any], Any], erase: Callable[..., None] | None = None) -> None:
    if name in _sections and _sections[name].export is not export:
        raise ValueError(f"A personal-data section named {name!r} is already registered.")
    _sections[name] = Section(name=name, export=export, erase=erase)


def sections() -> list[Section]:
    return list(_sections.values())


def export_for(user) -> dict[str, Any]:
    """Everything the portal holds about `user`, one key per registered section."""
    data: dict[str, Any] = {
        "format": "geraportal-personal-data/1",
        "exported_at": timezone.now().isoformat(),
    }
    for section in _sections.values():
        data[section.name] = section.export(user)
    return data


def erase_for(user, *, delete_contributions: bool) -> None:
    for section in _sections.values():
        if section.erase is not None:
            section.erase(user, delete_contributions=delete_contributions)


def _export_account(user) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email": user.email,
        "display_name": user.display_name,
        "district": user.district.name if user.district_id else None,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # The secrets stay secret; which kinds of second factor exist is the user's data.
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


register("account", export=_export_account)
