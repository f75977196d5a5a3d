import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from geraportal.core.images import clean_image
from geraportal.districts.models import District
from ideas.models import Idea
from ideas.text import MAX_BODY, clean_markdown_input, clean_plain_input
from workgroups.models import WorkingGroup

from .models import BUDGET_MAX, Organisation, Pilot
from .services import PilotData

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, lists with “-” and links like [text](https://…)."
)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_LINKS = 20


class PilotFilterForm(forms.Form):
    """The overview's filters, read from the query string; invalid values are simply ignored."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Pilot.Status.choices
    )
    group = forms.ChoiceField(label=_("Working group"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {
            "group": {g.slug: g for g in WorkingGroup.objects.all()},
            "district": {d.slug: d for d in District.objects.filter(pilots__isnull=False).distinct()},
        }
        for name, objects in self.objects.items():
            self.fields[name].choices = [("", _("All"))] + [(slug, str(o)) for slug, o in objects.items()]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"

    def filters(self):
        from .selectors import PilotFilters

        data = self.data if self.is_bound else {}
        status = data.get("status", "")
        return PilotFilters(
            status=status if status in Pilot.Status.values else "",
            group=self.objects["group"].get(data.get("group", "")),
            district=self.objects["district"].get(data.get("district", "")),
        )


class PilotForm(forms.Form):
    """Create or edit a pilot's record. The status is never part of it (see the transitions)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    working_group = forms.ModelChoiceField(label=_("Working group"), queryset=WorkingGroup.objects.none())
    source_ideas = forms.CharField(
        label=_("Source ideas"),
        required=False,
        max_length=500,
        help_text=_(
            "The numbers of the ideas this pilot grew from, separated by commas (the number is in the idea's address, e.g. /ideas/42/)."  # noqa: E501
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Not yet known"),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.active(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: the whole city."),
    )
    location_text = forms.CharField(label=_("Place (address or description)"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        max_digits=9,
        decimal_places=6,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        max_digits=9,
        decimal_places=6,
    )
    budget_planned = forms.DecimalField(
        label=_("Planned budget (EUR)"),
        required=False,
        min_value=Decimal("0"),
        max_value=BUDGET_MAX,
        max_digits=12,
        decimal_places=2,
        help_text=_("For example 36000 or 36000.50."),
    )
    funding_share = forms.DecimalField(
        label=_("Funding share (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The share of the budget paid from the Smart City funding programme, from 0 to 100."),
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE_WIDGET)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE_WIDGET)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE_WIDGET)
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DATE_WIDGET)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    links = forms.CharField(
        label=_("Links to documents"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: title | https://address"),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = groups

    INITIAL_FIELDS = [
        "title", "summary", "description", "working_group", "organisation", "location_text",
        "latitude", "longitude", "budget_planned", "funding_share", "planned_start", "planned_end",
        "actual_start", "actual_end", "contact_name", "contact_email", "contact_phone",
    ]  # fmt: skip

    @classmethod
    def initial_for(cls, pilot: Pilot) -> dict:
        idea_numbers = pilot.source_ideas.order_by("pk").values_list("pk", flat=True)
        return {
            **{name: getattr(pilot, name) for name in cls.INITIAL_FIELDS},
            "source_ideas": ", ".join(str(pk) for pk in idea_numbers),
            "districts": list(pilot.districts.all()),
            "links": "\n".join(f"{link['title']} | {link['url']}" for link in pilot.document_links),
        }

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
        ideas = {i.pk: i for i in Idea.objects.public().filter(pk__in=numbers)}
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
        data = super().clean()
        if (
            data.get("planned_start")
            and data.get("planned_end")
            and data["planned_end"] < data["planned_start"]
        ):
            self.add_error("planned_end", _("The planned end cannot be before the planned start."))
        if data.get("actual_start") and data.get("actual_end") and data["actual_end"] < data["actual_start"]:
            self.add_error("actual_end", _("The actual end cannot be before the actual start."))
        if data.get("actual_end") and not data.get("actual_start"):
            self.add_error("actual_start", _("Please give the actual start as well."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Please give both latitude and longitude, or neither."))
        for name in ("location_text", "contact_name", "contact_phone"):
            if name in data:
                data[name] = clean_plain_input(data[name])
        return data

    def to_data(self) -> PilotData:
        d = self.cleaned_data
        return PilotData(
            title=d["title"],
            summary=d["summary"],
            description=d["description"],
            working_group=d["working_group"],
            source_ideas=d["source_ideas"],
            organisation=d["organisation"],
            districts=list(d["districts"]),
            location_text=d["location_text"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            budget_planned=d["budget_planned"],
            funding_share=d["funding_share"],
            planned_start=d["planned_start"],
            planned_end=d["planned_end"],
            actual_start=d["actual_start"],
            actual_end=d["actual_end"],
            contact_name=d["contact_name"],
            contact_email=d["contact_email"],
            contact_phone=d["contact_phone"],
            links=d["links"],
        )


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
