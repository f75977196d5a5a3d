"""When the SMARTCity strategy must next be updated.

The strategy is updated every year from 2022 to 2026 and every two years after that
(2028, 2030, ...), each time by a configurable day of the year.
"""

import calendar
from datetime import date

from django.conf import settings

FIRST_UPDATE_YEAR = 2022
LAST_ANNUAL_YEAR = 2026


def is_due_year(year: int) -> bool:
    if year < FIRST_UPDATE_YEAR:
        return False
    return year <= LAST_ANNUAL_YEAR or (year - LAST_ANNUAL_YEAR) % 2 == 0


def next_due_year(year: int) -> int:
    """The first update year that is `year` or later."""
    year = max(year, FIRST_UPDATE_YEAR)
    while not is_due_year(year):
        year += 1
    return year


def due_date(year: int, *, month_day: tuple[int, int] | None = None) -> date:
    """The deadline in `year`; 29 February becomes 28 February outside leap years."""
    month, day = month_day or settings.STRATEGY_DUE_MONTH_DAY
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_due(
    *, today: date, last_published_year: int | None, month_day: tuple[int, int] | None = None
) -> date:
    """The deadline of the next edition that has not been published yet.

    Counting starts after the newest published edition, so a missed year stays due (and
    overdue) until its edition is published; without any edition, from this year on.
    """
    start = last_published_year + 1 if last_published_year else today.year
    return due_date(next_due_year(start), month_day=month_day)
