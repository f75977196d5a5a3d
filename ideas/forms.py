import copy
import uuid

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geraportal.core.forms import LatitudeField, LatLonFormMixin, LongitudeField, QuickSelect
from geraportal.core.images import clean_image
from geraportal.core.pagecache import per_content_version
from geraportal.districts.models import District
from workgroups.models import WorkingGroup

from .models import Comment, Competition, Idea, Report
from .selectors import IdeaFilters
from .text import MAX_BODY, MAX_COMMENT, clean_markdown_input, clean_plain_input

PENDING_SALT = "ideas.pending-image"
# How long a preview's image token is good for; older uploads are abandoned (`ideas.tasks`).
PENDING_SECONDS = 24 * 3600
MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, lists with “-” and links like [text](https://…)."
)


class IdeaForm(LatLonFormMixin, forms.ModelForm):
    """Submit or edit an idea. A preview step shows the result before it is published.

    `Meta.fields` is the one list of what a citizen writes; the declarations below only word
    the fields for this form. The image is handled beside the model (preview upload, cleaning).
    """

    class Meta:
        model = Idea
        fields = [
            "title",
            "body",
            "theme",
            "district",
            "competition",
            "location_text",
            "latitude",
            "longitude",
            "image_alt",
        ]

    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("Description"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=WorkingGroup.objects.all(),
        empty_label=_("Please choose"),
        help_text=_("The working group that will look after your idea."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.active(),
        required=False,
        empty_label=_("Whole city / none"),
    )
    competition = forms.ModelChoiceField(
        label=_("Ideas competition"),
        queryset=Competition.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Submit the idea to a competition that is open for ideas."),
    )
    location_text = forms.CharField(
        label=_("Place (address or description)"),
        max_length=200,
        required=False,
        help_text=_("For example: Sorge 1, or: the playground in Hofwiesenpark."),
    )
    latitude = LatitudeField(
        help_text=_("Optional, e.g. 50.880000. Choosing a point on the map fills this in.")
    )
    longitude = LongitudeField(help_text=_("Optional, e.g. 12.080000."))
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("Optional: JPEG, PNG or WebP, at most 5 MB. Location data (EXIF) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("Image description (alternative text)"),
        max_length=250,
        required=False,
        help_text=_("Describe what the image shows, for people who cannot see it. Required with an image."),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    pending_image = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, idea: Idea | None = None, now=None, **kwargs):
        self.user = user
        self.idea = idea
        self.now = now or timezone.now()
        # A copy: validating writes the input into the instance, and the page still shows the
        # idea as it is until the changes are saved.
        super().__init__(*args, instance=copy.copy(idea) if idea is not None else None, **kwargs)
        if idea is None:
            self.fields["competition"].queryset = Competition.objects.filter(
                submission_start__lte=self.now, submission_end__gt=self.now
            ).prefetch_related("themes")
            self.fields.pop("remove_image")
            if not self.is_bound:
                self.initial.setdefault("submission_token", uuid.uuid4())
        else:
            self.fields.pop("competition")
            self.fields.pop("submission_token")
            if not idea.image:
                self.fields.pop("remove_image")

    def clean_title(self):
        title = clean_plain_input(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Please give your idea a title."), code="required")
        return title

    def clean_body(self):
        body = clean_markdown_input(self.cleaned_data["body"])
        if not body:
            raise ValidationError(_("Please describe your idea."), code="required")
        return body

    def clean_location_text(self):
        return clean_plain_input(self.cleaned_data.get("location_text", ""))

    def clean_image_alt(self):
        return clean_plain_input(self.cleaned_data.get("image_alt", ""))

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return clean_image(upload)

    def clean_pending_image(self):
        token = self.cleaned_data.get("pending_image")
        if not token:
            return ""
        try:
            data = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_SECONDS)
        except signing.BadSignature:
            return ""
        if data.get("u") != self.user.pk or not default_storage.exists(data.get("n", "")):
            return ""
        return data["n"]

    def clean(self):
        cleaned = super().clean()  # LatLonFormMixin: latitude and longitude, both or neither
        has_image = bool(cleaned.get("image") or cleaned.get("pending_image"))
        if self.idea is not None and self.idea.image and not cleaned.get("remove_image"):
            has_image = True
        if has_image and not cleaned.get("image_alt") and not self.has_error("image"):
            self.add_error("image_alt", _("Please describe the image for people who cannot see it."))
        return cleaned

    def keep_pending_image(self) -> None:
        """Store a freshly uploaded image during the preview, so publishing needs no second upload."""
        image = self.cleaned_data.get("image")
        if image is None:
            return
        name = default_storage.save(f"ideas/pending/{image.name}", image)
        token = signing.dumps({"u": self.user.pk, "n": name}, salt=PENDING_SALT)
        self.cleaned_data["pending_image"] = name
        data = self.data.copy()
        data["pending_image"] = token
        self.data = data

    @property
    def pending_image_token(self) -> str:
        return self.data.get("pending_image", "") if self.is_bound else ""

    def changes(self) -> dict[str, object]:
        """What the author wrote, by field name (for `services.idea_update`)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}

    def image_file(self) -> ContentFile | None:
        """The new image: uploaded now, or kept from the preview (then taken out of storage)."""
        image = self.cleaned_data.get("image")
        if image is None and self.cleaned_data.get("pending_image"):
            name = self.cleaned_data["pending_image"]
            with default_storage.open(name, "rb") as stored:
                image = ContentFile(stored.read(), name=name.rsplit("/", 1)[-1])
            default_storage.delete(name)
        return image


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_body(self):
        body = clean_markdown_input(self.cleaned_data["body"])
        if not body:
            raise ValidationError(_("Please write a comment."), code="required")
        return body


class CommentEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    body = forms.CharField(
        label=_("Your comment"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_body(self):
        body = clean_markdown_input(self.cleaned_data["body"])
        if not body:
            raise ValidationError(_("Please write a comment."), code="required")
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the moderators (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    into = forms.IntegerField(label=_("Number of the idea to merge into"), min_value=1, required=False)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action in ("hide", "hide_comment", "decline"):
            self.fields["reason"].required = True
            self.fields["reason"].help_text = (
                _("Shown publicly with the idea.")
                if action == "decline"
                else _("The author sees this reason.")
            )
        if action != "merge":
            self.fields.pop("into")

    def clean_reason(self):
        return clean_markdown_input(self.cleaned_data.get("reason", ""))


class ReportDismissForm(forms.Form):
    resolution = forms.CharField(label=_("Why no action is needed"), max_length=1000, required=False)


SCORE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(1, 6)]


class JuryScoreForm(forms.Form):
    def __init__(self, *args, criteria, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                required=True,
                initial=current.get(criterion.pk, ""),
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


def _filter_objects() -> dict[str, dict[str, object]]:
    return {
        "theme": {t.slug: t for t in WorkingGroup.objects.all()},
        "district": {d.slug: d for d in District.objects.all()},
        "competition": {c.slug: c for c in Competition.objects.all()},
    }


class IdeaFilterForm(forms.Form):
    """The list's filters, read from the query string; invalid values are simply ignored.

    Themes, districts and competitions serve both as the choices and to turn a chosen slug
    into its object. They are read in three queries and kept in the process until the content
    changes (`per_content_version`): the list, the search, the map page and its data ask for
    them on every request, and they change a few times a year.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=QuickSelect)
    district = forms.ChoiceField(label=_("District"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Idea.Status.choices, widget=QuickSelect
    )
    competition = forms.ChoiceField(label=_("Competition"), required=False, widget=QuickSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=QuickSelect,
        choices=[
            ("newest", _("Newest")),
            ("supported", _("Most supported")),
            ("discussed", _("Most discussed")),
            ("relevance", _("Best match (with a search)")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = per_content_version("ideas.filter_objects", _filter_objects)
        for name, objects in self.objects.items():
            label = (lambda o: o.title) if name == "competition" else str
            self.fields[name].choices = [("", _("All"))] + [(slug, label(o)) for slug, o in objects.items()]
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filters(self):
        data = {}
        if self.is_bound:
            self.is_valid()
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        q = data.get("q") or ""
        sort = data.get("sort") or ("relevance" if q else "newest")
        if sort == "relevance" and not q:
            sort = "newest"
        return IdeaFilters(
            theme=self.objects["theme"].get(data.get("theme") or ""),
            district=self.objects["district"].get(data.get("district") or ""),
            status=data.get("status") or "",
            competition=self.objects["competition"].get(data.get("competition") or ""),
            q=q,
            sort=sort,
        )
