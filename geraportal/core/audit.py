"""Write to the audit log of staff actions — every back-office service calls `staff_action_record`.

Called inside the service's transaction, so the row exists exactly when the change does.
`before`/`after` hold the changed fields only (JSON-friendly values), enough for an
administrator to see what a person changed; never a ballot or a password.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.db.models.fields.files import FieldFile

from .models import StaffAction


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, FieldFile):  # an uploaded file: its name, never its content
        return value.name or None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_plain(v) for v in value]
    return str(value)


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-friendly values (foreign keys as their text)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def staff_action_record(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> StaffAction:
    """One row: who (`actor`, a User or None for the portal itself), what, on which object."""
    name = ""
    if actor is not None:
        name = (getattr(actor, "public_name", "") or getattr(actor, "email", "") or str(actor.pk))[:200]
    return StaffAction.objects.create(
        actor=actor,
        actor_name=name,
        action=action[:80],
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=str(summary)[:300],
        before=_plain(dict(before or {})),
        after=_plain(dict(after or {})),
    )


def staff_change_record(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    summary: str = "",
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
) -> StaffAction:
    """Record a change from the `before` and `after` snapshots: only the fields that differ."""
    old, new = changes(before or {}, after)
    return staff_action_record(
        actor=actor, action=action, target=target, summary=summary, before=old, after=new
    )
