"""Writes on the districts table (the back-office); each one writes an audit row."""

from django.db import transaction

from geraportal.core.audit import snapshot, staff_change_record

from .models import District

FIELDS = ("name", "slug", "kind", "parent", "is_active")


@transaction.atomic
def district_save(*, district: District, by) -> District:
    """Save `district` (new or changed, e.g. a valid `DistrictForm`'s instance)."""
    before = snapshot(District.objects.get(pk=district.pk), FIELDS) if district.pk else {}
    created = district.pk is None
    district.full_clean()
    district.save()
    staff_change_record(
        actor=by,
        action="district_created" if created else "district_changed",
        target=district,
        summary=district.name,
        before=before,
        after=snapshot(district, FIELDS),
    )
    return district
