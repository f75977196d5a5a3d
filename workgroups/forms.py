from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import references
from .filetypes import UnsupportedFile, sniff
from .models import RSVP, Document, JoinRequest, Meeting, Membership, Post, Thread
from .services import references_parse

VISIBILITY_HELP = _("“Members only” content is never shown to anyone outside the group.")


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "motivation": _("A few sentences for the moderators: what would you like to contribute?")
        }

    def clean_motivation(self) -> str:
        motivation = self.cleaned_data["motivation"].strip()
        if len(motivation) < 10:
            raise ValidationError(_("Please write at least a short sentence (10 characters or more)."))
        return motivation


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, the person will see it)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person you invite"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ReferencesField(forms.CharField):
    """One link per line to an idea or a pilot project of this portal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Related ideas and pilot projects"))
        kwargs.setdefault("help_text", _("Paste the address of an idea or a pilot project, one per line."))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("max_length", 4000)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        urls = [line.strip() for line in text.splitlines() if line.strip()]
        if len(urls) > 20:
            raise ValidationError(_("Please link at most 20 ideas or pilot projects."))
        found, unknown = references_parse(urls)
        if unknown:
            raise ValidationError(
                _("These addresses are not ideas or pilot projects of this portal: %(urls)s"),
                params={"urls": ", ".join(u[:80] for u in unknown)},
            )
        return found


class ThreadForm(forms.ModelForm):
    body = forms.CharField(
        label=_("First post"),
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("You can use Markdown. Mention members with @ and their name."),
    )

    class Meta:
        model = Thread
        fields = ["title", "visibility"]
        widgets = {"visibility": forms.RadioSelect}
        help_texts = {"visibility": VISIBILITY_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if references.kinds():
            self.fields["references"] = ReferencesField()

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Please give the discussion a title."))
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise ValidationError(_("Please write something."))
        return body


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        max_length=Post._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can use Markdown. Mention members with @ and their name."),
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise ValidationError(_("Please write something."))
        return body


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author will see it)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def validate_upload(upload):
    """Size first (cheap), then the content; returns the sniffed type."""
    limit = settings.WORKGROUPS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s). At most %(limit)s are allowed."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    try:
        return sniff(upload)
    except UnsupportedFile as exc:
        raise ValidationError(exc.message, code="unsupported") from exc


class UploadField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File"))
        kwargs.setdefault(
            "help_text",
            _("PDF, office document (Word, Excel, PowerPoint, OpenDocument) or image; at most %(limit)s.")
            % {"limit": filesizeformat(settings.WORKGROUPS_DOCUMENT_MAX_BYTES)},
        )
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault(
            "accept", ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.gif,.webp"
        )


class DocumentForm(forms.ModelForm):
    file = UploadField()

    class Meta:
        model = Document
        fields = ["title", "description", "visibility", "file"]
        widgets = {"visibility": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"visibility": VISIBILITY_HELP}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.file_type = validate_upload(upload)
        return upload


class DocumentVersionForm(forms.Form):
    file = UploadField(label=_("New version"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.file_type = validate_upload(upload)
        return upload


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "agenda",
            "visibility",
            "minutes",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {"visibility": VISIBILITY_HELP}

    def __init__(self, *args, with_minutes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        if not with_minutes:
            del self.fields["minutes"]

    def clean_online_url(self) -> str:
        url = self.cleaned_data["online_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Please enter a web address starting with https://."))
        return url

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not cleaned.get("location") and not cleaned.get("online_url") and "location" not in self.errors:
            self.add_error("location", _("Please give a place or an online link."))
        return cleaned


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"), choices=RSVP.Answer.choices, widget=forms.RadioSelect
    )
