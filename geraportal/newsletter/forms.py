from django import forms
from django.utils.translation import gettext_lazy as _

from geraportal.notifications.rendering import one_line
from geraportal.pages.models import NewsPost

from .services import InvalidAddress, normalise_email


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden from people (and screen readers); bots that fill every field fill it.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_from_a_bot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))

    def clean_email(self):
        try:
            return normalise_email(self.cleaned_data["email"])
        except InvalidAddress:
            raise forms.ValidationError(
                _("Please enter a valid e-mail address, for example name@example.org."), code="invalid"
            ) from None


class IssueForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    intro = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("You can use Markdown."),
    )
    news_posts = forms.ModelMultipleChoiceField(
        label=_("News posts"),
        required=False,
        queryset=NewsPost.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published posts; each appears with its teaser and a link."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["news_posts"].queryset = NewsPost.objects.published().only("title", "published_at")

    def clean_subject(self):
        # One line, whatever was pasted: nothing can reach a mail header but the subject itself.
        subject = one_line(self.cleaned_data["subject"])
        if not subject:
            raise forms.ValidationError(_("Please enter a subject."), code="required")
        return subject

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("intro", "").strip() and not cleaned.get("news_posts"):
            raise forms.ValidationError(
                _("Please write a text or choose at least one news post."), code="empty"
            )
        return cleaned


class BounceForm(forms.Form):
    email = forms.CharField(label=_("Address that bounced"), max_length=254)
    reason = forms.CharField(label=_("Reason (from the bounce message)"), max_length=500, required=False)

    clean_email = SubscribeForm.clean_email
