"""Content that the city writes in both languages is stored in `<field>_de` / `<field>_en`."""

from django.conf import settings
from django.utils.translation import get_language


def pick(obj, field: str) -> str:
    """The value of `field` in the active language, falling back to German."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_{settings.LANGUAGE_CODE}")
