import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from . import groups
from .models import (
    CONTEXT_CHARS,
    MAX_QUOTE,
    MAX_SUGGESTION_TEXT,
    Recommendation,
    Section,
    StrategyEdition,
    Suggestion,
)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# What looks like an HTML tag: "<b>", "</p>", "<script src=...>"; not "a < b".
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
MARKUP_MESSAGE = _("Please write plain text: HTML tags such as <b> or <script> are not accepted here.")


def _plain(value: str) -> str:
    """Citizens write plain text; markup is refused with a message (not silently removed)."""
    value = (value or "").replace("\r\n", "\n").replace("\x00", "")
    if _TAG.search(value):
        raise ValidationError(MARKUP_MESSAGE, code="markup")
    return value.strip()


# Django fills in both numbers; the person learns the limit and how far over it they are.
TOO_LONG = _("Please shorten the text to at most %(limit_value)s characters (it has %(show_value)s).")


class EditionForm(forms.ModelForm):
    """A new update (year, title, summary) or an edition's details and an uploaded PDF."""

    class Meta:
        model = StrategyEdition
        fields = ["year", "title", "summary", "document"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or not hasattr(document, "read"):
            return document
        if document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The document is larger than 20 MB."), code="too_large")
        head = document.read(5)
        document.seek(max(0, document.size - 1024))
        tail = document.read()
        document.seek(0)
        # Judged by content, not by name: a PDF starts with "%PDF-" and ends with "%%EOF".
        if head != b"%PDF-" or b"%%EOF" not in tail:
            raise ValidationError(_("Please upload a PDF document."), code="not_pdf")
        return document


class CycleDatesForm(forms.Form):
    consultation_starts = forms.DateField(label=_("Public consultation from"), widget=DATE_WIDGET)
    consultation_ends = forms.DateField(label=_("Public consultation until"), widget=DATE_WIDGET)
    review_ends = forms.DateField(label=_("Review by the working groups until"), widget=DATE_WIDGET)
    decision_ends = forms.DateField(label=_("Decision by the SMARTCity team until"), widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        order = ["consultation_starts", "consultation_ends", "review_ends", "decision_ends"]
        values = [cleaned.get(name) for name in order]
        if all(values):
            for name, before, value in zip(order[1:], values, values[1:], strict=False):
                if value < before:
                    self.add_error(name, _("This date cannot be before the one above it."))
        return cleaned


class SectionForm(forms.ModelForm):
    note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=1000,
        help_text=_("Shown in the section's history."),
    )

    class Meta:
        model = Section
        fields = ["key", "kind", "theme", "position", "title_de", "title_en", "body_de", "body_en"]
        widgets = {
            "body_de": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "body_de": _("Markdown. The German text is the binding one; suggestions refer to it."),
            "body_en": _("Markdown. May stay empty: the German text is then shown with a note."),
        }
        error_messages = {
            "body_de": {"max_length": TOO_LONG},
            "body_en": {"max_length": TOO_LONG},
        }

    def __init__(self, *args, edition: StrategyEdition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["theme"] = forms.ChoiceField(
            label=_("Working group"),
            required=False,
            choices=[("", _("none (the SMARTCity team)"))] + groups.choices(),
            help_text=_("The group that reviews the suggestions on this section."),
        )

    def clean_key(self):
        key = self.cleaned_data["key"]
        taken = Section.objects.filter(edition=self.edition, key=key).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Another section of this edition has this key."), code="key_taken")
        return key


class SuggestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=[
            (Suggestion.Kind.CHANGE, _("Propose a change to a passage")),
            (Suggestion.Kind.COMMENT, _("Comment on the section")),
        ],
        widget=forms.RadioSelect,
        initial=Suggestion.Kind.CHANGE,
    )
    quote = forms.CharField(
        label=_("Passage"),
        required=False,
        max_length=MAX_QUOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Select the passage in the text above (or copy it here) – exactly as it is written."),
        error_messages={"max_length": TOO_LONG},
    )
    replacement = forms.CharField(
        label=_("Your wording"),
        required=False,
        max_length=MAX_SUGGESTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The text that should stand instead of the passage. Empty: delete the passage."),
        error_messages={"max_length": TOO_LONG},
    )
    text = forms.CharField(
        label=_("Reason or comment"),
        max_length=MAX_SUGGESTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )
    # Filled in by the selection script: the text around the selection, to tell apart a
    # passage that occurs twice. Plain hints; the server computes the stored context itself.
    prefix = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)

    def clean_quote(self):
        return _plain(self.cleaned_data["quote"])

    def clean_replacement(self):
        return _plain(self.cleaned_data["replacement"])

    def clean_text(self):
        text = _plain(self.cleaned_data["text"])
        if not text:
            raise ValidationError(_("Please write a reason or comment."), code="required")
        return text

    def clean_prefix(self):
        return (self.cleaned_data["prefix"] or "")[-CONTEXT_CHARS:]

    def clean_suffix(self):
        return (self.cleaned_data["suffix"] or "")[:CONTEXT_CHARS]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Suggestion.Kind.CHANGE
            and not self.has_error("quote")
            and not cleaned.get("quote")
        ):
            self.add_error("quote", _("Please select or copy the passage you want to change."))
        if cleaned.get("kind") == Suggestion.Kind.COMMENT:
            cleaned["quote"] = cleaned["replacement"] = ""
        return cleaned


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["verdict", "note", "thread_url"]
        widgets = {"verdict": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, theme: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme = theme

    def clean_note(self):
        return _plain(self.cleaned_data["note"])

    def clean_thread_url(self):
        """Only an address of a discussion in this group's own space."""
        url = (self.cleaned_data["thread_url"] or "").strip()
        if not url:
            return ""
        path = url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "://" in url and "/" in path else path
        try:
            match = resolve(path.split("?")[0].split("#")[0])
        except Resolver404:
            match = None
        if (
            match is None
            or match.view_name != "workgroups:thread_detail"
            or match.kwargs.get("slug") != self.theme
        ):
            raise ValidationError(
                _(
                    "Please give the address of a discussion in this group's space, e.g. /workgroups/%(slug)s/diskussionen/12/."  # noqa: E501
                )
                % {"slug": self.theme},
                code="not_a_thread",
            )
        return path.split("#")[0]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Suggestion.Status.ACCEPTED, _("accept")),
            (Suggestion.Status.ACCEPTED_CHANGED, _("accept with changes")),
            (Suggestion.Status.DECLINED, _("decline")),
        ],
        widget=forms.RadioSelect,
    )
    final_text = forms.CharField(
        label=_("Wording as accepted"),
        required=False,
        max_length=MAX_SUGGESTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for “accept with changes”: the text that goes in instead of the passage."),
    )
    reason = forms.CharField(
        label=_("Public reason"), max_length=MAX_SUGGESTION_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self):
        return _plain(self.cleaned_data["reason"])

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Suggestion.Status.ACCEPTED_CHANGED
            and not (cleaned.get("final_text") or "").strip()
        ):
            self.add_error("final_text", _("Please give the wording as accepted."))
        return cleaned


class ApprovalForm(forms.Form):
    note = forms.CharField(
        label=_("Note of the strategy group"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublishForm(forms.Form):
    council_date = forms.DateField(
        label=_("Date of the council resolution"), required=False, widget=DATE_WIDGET
    )
    council_resolution = forms.CharField(
        label=_("Resolution number"), required=False, max_length=60, help_text=_("For example DS 2026/123.")
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("council_date")) != bool((cleaned.get("council_resolution") or "").strip()):
            raise ValidationError(
                _("Please give both the date and the number of the council resolution, or neither."),
                code="council_incomplete",
            )
        return cleaned


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("From the edition"), coerce=int)
    new = forms.TypedChoiceField(label=_("to the edition"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(year, str(year)) for year in years]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices


class ModerationForm(forms.Form):
    """Hide a suggestion (with the reason its author is told) or show it again."""

    hidden = forms.TypedChoiceField(
        label=_("Action"),
        choices=[("1", _("hide")), ("0", _("show again"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason for hiding (the author is told it)"),
        required=False,
        max_length=MAX_SUGGESTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_reason(self):
        return _plain(self.cleaned_data["reason"])

    def clean_next(self):
        """Back to the page the form was on: only the strategy's own pages."""
        url = self.cleaned_data["next"] or ""
        if url.startswith("//") or not url.startswith(("/strategy/", "/staff/strategy/")):
            return ""
        return url
