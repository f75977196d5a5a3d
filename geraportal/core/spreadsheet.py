"""CSV cells that spreadsheet programs cannot mistake for formulas."""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The text of a CSV cell; text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not isinstance(value, int | float | Decimal):
        return "'" + text
    return text
