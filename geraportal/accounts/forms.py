import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geraportal.districts.models import District

from .models import User


def validate_display_name(value: str) -> None:
    if any(ch in value for ch in "<>"):
        raise ValidationError(_("Please use a name without the characters < and >."), code="markup")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ValidationError(_("Please use a name without control characters."), code="control")


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", User._meta.get_field("display_name").max_length)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Display name"))
        kwargs.setdefault("help_text", User._meta.get_field("display_name").help_text)
        kwargs.setdefault("validators", [validate_display_name])
        super().__init__(**kwargs)


class DistrictChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", District.objects.active().select_related("parent"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("District (optional)"))
        kwargs.setdefault("empty_label", _("— no district —"))
        super().__init__(**kwargs)


privacy_label = lazy(
    lambda: format_html(
        str(_('I have read the <a href="{}">privacy notice</a>.')), reverse_lazy("pages:privacy")
    ),
    str,
)
terms_help = lazy(
    lambda: format_html(
        str(_('By signing up you accept the <a href="{}">terms of use and netiquette</a>.')),
        reverse_lazy("pages:terms"),
    ),
    str,
)


class SignupExtraForm(forms.Form):
    """The fields our sign-up asks for beyond allauth's e-mail and password."""

    field_order = ["email", "password1", "password2", "display_name", "district", "accept_privacy"]

    display_name = DisplayNameField()
    district = DistrictChoiceField()
    accept_privacy = forms.BooleanField(
        label=privacy_label(),
        help_text=terms_help(),
        required=True,
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.district = self.cleaned_data["district"]
        language = get_language()
        user.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        user.save()


class ProfileForm(forms.ModelForm):
    display_name = DisplayNameField()
    district = DistrictChoiceField()

    class Meta:
        model = User
        fields = ["display_name", "district", "language"]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is really you."),
    )
    delete_contributions = forms.BooleanField(
        label=_("Also delete my ideas, comments and other contributions."),
        required=False,
        help_text=_(
            "If you leave this unticked, your contributions stay visible as from “Deleted participant”, "
            "so discussions remain readable."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account cannot be restored."),
        required=True,
        error_messages={"required": _("Please confirm that you want to delete your account.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="password_incorrect")
        return password
