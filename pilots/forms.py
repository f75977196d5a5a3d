import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from geraportal.core.forms import LatLonFormMixin, QuickSelect
from geraportal.core.images import clean_image
from geraportal.core.pagecache import per_content_version
from geraportal.districts.models import District
from ideas.selectors import public_ideas
from ideas.text import MAX_BODY, clean_markdown_input, clean_plain_input
from workgroups.models import WorkingGroup

from .models import Pilot
from .selectors import PilotFilters

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, lists with “-” and links like [text](https://…)."
)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_LINKS = 20


def _filter_objects() -> dict[str, dict[str, object]]:
    return {
        "group": {g.slug: g for g in WorkingGroup.objects.all()},
        "district": {d.slug: d for d in District.objects.filter(pilots__isnull=False).distinct()},
    }


class PilotFilterForm(forms.Form):
    """The overview's filters, read from the query string; invalid values are simply ignored.
    The groups and districts are kept in the process until the content changes (as the idea
    filters': `per_content_version`)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Pilot.Status.choices, widget=QuickSelect
    )
    group = forms.ChoiceField(label=_("Working group"), required=False, widget=QuickSelect)
    district = forms.ChoiceField(label=_("District"), required=False, widget=QuickSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = per_content_version("pilots.filter_objects", _filter_objects)
        for name, objects in self.objects.items():
            self.fields[name].choices = [("", _("All"))] + [(slug, str(o)) for slug, o in objects.items()]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"

    def filters(self) -> PilotFilters:
        data = self.data if self.is_bound else {}
        status = data.get("status", "")
        return PilotFilters(
            status=status if status in Pilot.Status.values else "",
            group=self.objects["group"].get(data.get("group", "")),
            district=self.objects["district"].get(data.get("district", "")),
        )


class PilotForm(LatLonFormMixin, forms.ModelForm):
    """Create or edit a pilot's record. The status is never part of it (see the transitions).

    Labels, lengths and ranges come from the model; declared here are only the fields that
    are entered differently from how they are stored (idea numbers, links as lines, the text
    limit of Markdown). A valid form's `instance` is what `services.pilot_create` and
    `services.pilot_edit` save; `cleaned_data` holds the source ideas and districts.
    """

    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    source_ideas = forms.CharField(
        label=_("Source ideas"),
        required=False,
        max_length=500,
        help_text=_(
            "The numbers of the ideas this pilot grew from, separated by commas (the number is in the idea's address, e.g. /ideas/42/)."  # noqa: E501
        ),
    )
    links = forms.CharField(
        label=_("Links to documents"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: title | https://address"),
    )

    class Meta:
        model = Pilot
        fields = [
            "title", "summary", "description", "working_group", "source_ideas", "organisation",
            "districts", "strategy_measures", "location_text", "latitude", "longitude", "budget_planned",
            "funding_share", "planned_start", "planned_end", "actual_start", "actual_end", "contact_name",
            "contact_email", "contact_phone", "links",
        ]  # fmt: skip
        labels = {"location_text": _("Place (address or description)")}
        help_texts = {
            "summary": _("Two or three sentences."),
            "districts": _("None chosen: the whole city."),
            "budget_planned": _("For example 36000 or 36000.50."),
            "funding_share": _(
                "The share of the budget paid from the Smart City funding programme, from 0 to 100."
            ),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "districts": forms.SelectMultiple(attrs={"size": 8}),
            "strategy_measures": forms.SelectMultiple(attrs={"size": 6}),
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "actual_start": DATE_WIDGET,
            "actual_end": DATE_WIDGET,
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = groups
        self.fields["organisation"].empty_label = _("Not yet known")
        self.fields["districts"].queryset = District.objects.active()
        pilot = self.instance
        ideas = pilot.source_ideas.order_by("pk").values_list("pk", flat=True) if pilot.pk else []
        self.initial["source_ideas"] = ", ".join(str(pk) for pk in ideas)
        self.initial["links"] = "\n".join(f"{link['title']} | {link['url']}" for link in pilot.document_links)

    def clean_title(self):
        title = clean_plain_input(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Please give the pilot project a title."))
        return title

    def clean_summary(self):
        summary = clean_markdown_input(self.cleaned_data["summary"])
        if not summary:
            raise ValidationError(_("Please summarise the pilot project."))
        return summary

    def clean_description(self):
        return clean_markdown_input(self.cleaned_data["description"])

    def clean_source_ideas(self):
        raw = self.cleaned_data["source_ideas"].replace(";", ",").replace(" ", ",")
        numbers = []
        for part in filter(None, (p.strip().lstrip("#") for p in raw.split(","))):
            if not re.fullmatch(r"[0-9]{1,9}", part):  # str.isdigit() also accepts "²", which int() refuses
                raise ValidationError(_("“%(value)s” is not an idea number.") % {"value": part[:20]})
            numbers.append(int(part))
        ideas = {i.pk: i for i in public_ideas().filter(pk__in=numbers)}
        missing = [str(n) for n in numbers if n not in ideas]
        if missing:
            raise ValidationError(
                _("There is no public idea with the number %(numbers)s.") % {"numbers": ", ".join(missing)}
            )
        return list(dict.fromkeys(ideas[n] for n in numbers))

    def clean_links(self):
        links = []
        for number, line in enumerate(
            filter(None, (ln.strip() for ln in self.cleaned_data["links"].splitlines())), 1
        ):
            title, sep, url = line.rpartition("|")
            title, url = clean_plain_input(title), url.strip()
            if not sep or not title:
                raise ValidationError(
                    _("Line %(number)d: please write “title | https://address”.") % {"number": number}
                )
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise ValidationError(
                    _("Line %(number)d: “%(url)s” is not a web address (https://…).")
                    % {"number": number, "url": url[:80]}
                ) from None
            links.append({"title": title[:200], "url": url[:500]})
        if len(links) > MAX_LINKS:
            raise ValidationError(_("At most %(max)d links, please.") % {"max": MAX_LINKS})
        return links

    def clean(self):
        # The order of the dates is the model's rule (Pilot.clean), checked when the form
        # builds the instance; the pairing of the coordinates is LatLonFormMixin's.
        data = super().clean()
        for name in ("location_text", "contact_name", "contact_phone"):
            if name in data:
                data[name] = clean_plain_input(data[name])
        return data


class TransitionForm(forms.Form):
    """One lifecycle step. `expected_status` is the status the person saw when loading the page."""

    expected_status = forms.ChoiceField(choices=Pilot.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (public)"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        if target == Pilot.Status.PRIORITISED:
            self.fields["rank"] = forms.IntegerField(
                label=_("Rank in the plenary"), min_value=1, max_value=10000
            )
            self.fields["note"].label = _("Result of the plenary (public), e.g. the votes")
        elif target == Pilot.Status.SELECTED:
            self.fields["note"].label = _("Reason for the selection (public)")
            self.fields["note"].required = True
        elif target in (Pilot.Status.APPROVED, Pilot.Status.REJECTED):
            self.fields["council_date"] = forms.DateField(
                label=_("Date of the council decision"), widget=DATE_WIDGET
            )
            self.fields["resolution"] = forms.CharField(
                label=_("Resolution number"), max_length=60, help_text=_("For example DS 2021/123.")
            )
        elif target in (Pilot.Status.IMPLEMENTATION, Pilot.Status.COMPLETED):
            label = _("Started on") if target == Pilot.Status.IMPLEMENTATION else _("Completed on")
            self.fields["on_date"] = forms.DateField(
                label=label, required=False, widget=DATE_WIDGET, help_text=_("Leave empty for today.")
            )
        elif target == Pilot.Status.CANCELLED:
            self.fields["note"].label = _("Reason for the cancellation (public)")
            self.fields["note"].required = True
        self.order_fields(["rank", "council_date", "resolution", "on_date", "note"])

    def clean_note(self):
        return clean_markdown_input(self.cleaned_data["note"])

    def clean_resolution(self):
        return clean_plain_input(self.cleaned_data["resolution"])


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    done_date = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty while it is still open."),
    )

    def clean_title(self):
        return clean_plain_input(self.cleaned_data["title"])


class ImageUploadMixin:
    def _clean_upload(self, name: str):
        upload = self.cleaned_data.get(name)
        return clean_image(upload) if upload else None


class ProgressUpdateForm(ImageUploadMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("Optional: JPEG, PNG or WebP, at most 5 MB. Location data (EXIF) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("Image description (alternative text)"), max_length=250, required=False
    )

    def clean_title(self):
        return clean_plain_input(self.cleaned_data["title"])

    def clean_body(self):
        return clean_markdown_input(self.cleaned_data["body"])

    def clean_image(self):
        return self._clean_upload("image")

    def clean_image_alt(self):
        return clean_plain_input(self.cleaned_data["image_alt"])

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", _("Please describe the image for people who cannot see it."))
        return data


class PilotImageForm(ImageUploadMixin, forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB. Location data (EXIF) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(label=_("Image description (alternative text)"), max_length=250)

    def clean_image(self):
        return self._clean_upload("image")

    def clean_alt(self):
        alt = clean_plain_input(self.cleaned_data["alt"])
        if not alt:
            raise ValidationError(_("Please describe the image for people who cannot see it."))
        return alt


class SelectionForm(forms.Form):
    """The strategy group's choice among the prioritised proposals: a tick and a reason each."""

    def __init__(self, *args, candidates: list[Pilot], limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.limit = limit
        for pilot in candidates:
            self.fields[f"select_{pilot.pk}"] = forms.BooleanField(label=_("Select"), required=False)
            self.fields[f"rationale_{pilot.pk}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self):
        return [(p, self[f"select_{p.pk}"], self[f"rationale_{p.pk}"]) for p in self.candidates]

    def clean(self):
        data = super().clean()
        chosen = {}
        for pilot in self.candidates:
            if data.get(f"select_{pilot.pk}"):
                rationale = clean_markdown_input(data.get(f"rationale_{pilot.pk}", ""))
                if not rationale:
                    self.add_error(
                        f"rationale_{pilot.pk}", _("Please give the reason for selecting this pilot project.")
                    )
                chosen[pilot.pk] = rationale
        if not chosen:
            raise ValidationError(_("Please select at least one pilot project."))
        if len(chosen) > self.limit:
            raise ValidationError(
                _(
                    "You selected %(count)d pilot projects, but at most %(max)d can be proposed to the "
                    "city council. Please select fewer."
                )
                % {"count": len(chosen), "max": self.limit}
            )
        data["selections"] = chosen
        return data
