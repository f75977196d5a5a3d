"""Form fields more than one app needs."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class CoordinateField(forms.DecimalField):
    """Degrees to six decimal places (about 10 cm), within the range of its axis.

    The models store coordinates as DecimalField(max_digits=9, decimal_places=6) and their
    constraints allow the same ranges, so what this field accepts can always be stored.
    """

    limit = Decimal("0")

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=-self.limit, max_value=self.limit, max_digits=9, decimal_places=6, **kwargs
        )


class LatitudeField(CoordinateField):
    limit = Decimal("90")

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Latitude"))
        super().__init__(**kwargs)


class LongitudeField(CoordinateField):
    limit = Decimal("180")

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Longitude"))
        super().__init__(**kwargs)


class LatLonFormMixin(forms.Form):
    """A place as `latitude` and `longitude`: both or neither.

    Two fields, not one MultiValueField, so the inputs keep the names `latitude` and
    `longitude` that the map picker fills in and that people (and the tests) post. A form
    may declare either field again, e.g. to add a help text.
    """

    latitude = LatitudeField()
    longitude = LongitudeField()

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) == (longitude is None):
            return cleaned
        if self.has_error("latitude") or self.has_error("longitude"):
            return cleaned
        missing = "latitude" if latitude is None else "longitude"
        self.add_error(
            missing,
            ValidationError(_("Please give both latitude and longitude, or neither."), code="half_location"),
        )
        return cleaned


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each field's errors on that field (or on
    the form when it has no such field), a plain error on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _label_key(choices) -> tuple:
    """The choices as plain strings (labels in the active language), nested for optgroups."""
    return tuple(
        (str(value), _label_key(label) if isinstance(label, (list, tuple)) else str(label))
        for value, label in choices
    )


class QuickSelect(forms.Select):
    """A `<select>` rendered in Python, for filter forms shown on busy public pages.

    Django renders each `<option>` through two templates; with Gera's 45 districts that cost
    more than the rest of the idea list's page. This widget writes the same markup directly:
    the same attributes, ids, `selected` and optgroups, escaped by `format_html`. A select
    already written in this process for the same name, attributes, choice, labels and language
    is taken as it was (the list's four selects cost 1.7 ms a request): the key holds every
    input of the markup, so a renamed district is a new key.
    """

    _written: dict[tuple, str] = {}
    _WRITTEN_MAX = 512

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        key = (
            name,
            tuple(sorted((k, str(v)) for k, v in final_attrs.items())),
            tuple(self.format_value(value)),
            _label_key(self.choices),
        )
        html = self._written.get(key)
        if html is None:
            html = self._write(name, value, attrs)
            if len(self._written) >= self._WRITTEN_MAX:
                self._written.clear()
            self._written[key] = html
        return html

    def _write(self, name, value, attrs):
        context = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group_options, _index in context["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                    for option in group_options
                ),
            )
            if group_name:
                rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            options.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            flatatt(context["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 (each option escaped by format_html)
        )
