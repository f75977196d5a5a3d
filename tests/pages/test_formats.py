import datetime

from django.utils import formats, translation


def test_english_pages_show_dates_the_european_way():
    day = datetime.date(2020, 11, 20)
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "20 November 2020"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "20/11/2020"
    with translation.override("de"):
        assert formats.date_format(day, "DATE_FORMAT") == "20. November 2020"
