"""The period of the dashboard: two dates from the address (`?from=2026-01-01&to=2026-05-31`)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .selectors import Period

# SMARTCity Gera began in 2019; nothing in the portal is older.
EARLIEST = datetime.date(2019, 1, 1)


class PeriodForm(forms.Form):
    """Both dates optional: without them the last twelve months up to today."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the fields are named here rather than as attributes.
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": _("Enter the start as a date, e.g. 2026-01-31.")},
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": _("Enter the end as a date, e.g. 2026-05-31.")},
        )
        today = timezone.localdate()
        default = Period.last_months(today)
        for name in ("from", "to"):
            self.fields[name].widget.attrs.update(
                {"min": EARLIEST.isoformat(), "max": today.isoformat(), "class": "form-control"}
            )
        self.fields["from"].initial = default.start
        self.fields["to"].initial = default.end

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        start = data.get("from") or Period.last_months(today).start
        end = data.get("to") or today
        for name, value in (("from", start), ("to", end)):
            if value > today:
                self.add_error(name, _("The period cannot reach into the future (today is %(today)s).")
                               % {"today": date_format(today, "SHORT_DATE_FORMAT")})  # fmt: skip
            elif value < EARLIEST:
                self.add_error(
                    name,
                    _("There are no figures before %(date)s.")
                    % {"date": date_format(EARLIEST, "SHORT_DATE_FORMAT")},
                )
        if not self.errors and start > end:
            self.add_error("to", _("The end of the period must not be before its start."))
        if not self.errors:
            data["period"] = Period(start=start, end=end)
        return data

    def period(self) -> Period:
        """The chosen period (call after `is_valid()`), or the default for an empty form."""
        if self.is_bound:
            return self.cleaned_data["period"]
        return Period.last_months(timezone.localdate())
