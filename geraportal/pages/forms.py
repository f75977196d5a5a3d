from django import forms
from django.utils.translation import gettext_lazy as _

from geraportal.core.images import clean_image

from .models import AccessibilityFeedback, Event, NewsPost


def _one_line(text: str) -> str:
    return " ".join("".join(ch for ch in (text or "") if ch.isprintable() or ch.isspace()).split())


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class NewsPostForm(forms.ModelForm):
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    class Meta:
        model = NewsPost
        fields = ["title", "teaser", "body", "image", "image_alt", "published_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "teaser": forms.Textarea(attrs={"rows": 2}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "published_at": DateTimeLocalInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The "clear" checkbox of ClearableFileInput is replaced by our explicit remove_image.
        self.fields["image"].widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        if not (self.instance.pk and self.instance.image):
            del self.fields["remove_image"]

    def clean_title(self):
        return _one_line(self.cleaned_data["title"])

    def clean_teaser(self):
        return _one_line(self.cleaned_data["teaser"])

    def clean_image_alt(self):
        return _one_line(self.cleaned_data["image_alt"])

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and upload is not getattr(self.instance, "image", None) and hasattr(upload, "content_type"):
            return clean_image(upload)
        return None

    def clean(self):
        cleaned = super().clean()
        keeps_image = bool(self.instance.pk and self.instance.image) and not cleaned.get("remove_image")
        has_image = bool(cleaned.get("image")) or keeps_image
        if has_image and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Please describe the image for people who cannot see it."))
        return cleaned

    def _post_clean(self):
        # The image is saved by the service, re-encoded; the model instance keeps its old file
        # until then, so model validation runs on the other fields only.
        image = self.cleaned_data.pop("image", None)
        super()._post_clean()
        self.cleaned_data["image"] = image


class EventForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For an online event, if any."),
    )

    class Meta:
        model = Event
        fields = ["title", "description", "starts_at", "ends_at", "location", "online_url"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
        }

    def clean_title(self):
        return _one_line(self.cleaned_data["title"])

    def clean_location(self):
        return _one_line(self.cleaned_data["location"])

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The end must not be before the start."))
        if not cleaned.get("location") and not cleaned.get("online_url") and not self.has_error("online_url"):
            self.add_error("location", _("Please give a place or an online link."))
        return cleaned


class AccessibilityFeedbackForm(forms.ModelForm):
    """The accessibility statement's feedback form. Its labels are written in the statement's
    per-language templates; errors point at their fields with aria-describedby."""

    class Meta:
        model = AccessibilityFeedback
        fields = ["name", "email", "message"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "class": "form-control"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "class": "form-control"}),
            "message": forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        }

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(self.fields["message"].error_messages["required"], code="required")
        return message

    def mark_errors(self) -> None:
        """Let screen readers hear each field's error with the field (after is_valid())."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"
                attrs["class"] = "form-control is-invalid"
                if name == "message":
                    attrs["aria-describedby"] += f" {self[name].auto_id}_hint"
