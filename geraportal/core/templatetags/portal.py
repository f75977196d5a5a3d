from datetime import date, datetime

from django import template
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()


@register.filter
def isodate(value: str) -> date | datetime | str:
    """Turn an ISO date or datetime string (as stored in JSON contexts) back into a value
    the `date` filter can format in the reader's language."""
    if not isinstance(value, str):
        return value
    return parse_datetime(value) or parse_date(value) or value
