from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import StrategyEdition

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class EditionForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Publish now"), required=False, help_text=_("Published editions appear on the strategy page.")
    )

    class Meta:
        model = StrategyEdition
        fields = ["year", "title", "summary", "document"]

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
