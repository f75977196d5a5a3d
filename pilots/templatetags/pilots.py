from datetime import date

from django import template
from django.utils.formats import date_format

from pilots.models import Pilot

register = template.Library()


@register.filter
def pilot_status_label(value: str) -> str:
    """The translated label of a status value (notification templates get plain values)."""
    try:
        return str(Pilot.Status(value).label)
    except ValueError:
        return value


@register.filter
def iso_date(value: str) -> str:
    """Format an ISO date ("2021-02-24") from a notification's context in the active language."""
    try:
        return date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return ""
