from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import sealing
from .models import BallotChoice, Poll


class BallotForm(forms.Form):
    """One field per proposal; shaped by the poll's method."""

    def __init__(self, *args, poll: Poll, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = list(options)
        for option in self.options:
            name = f"option_{option.pk}"
            label = option.title
            if poll.method == Poll.Method.YES_NO:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=[
                        (BallotChoice.YES, _("Yes")),
                        (BallotChoice.NO, _("No")),
                        (BallotChoice.ABSTAIN, _("Abstain")),
                    ],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please choose yes, no or abstain.")},
                )
            elif poll.method == Poll.Method.APPROVAL:
                self.fields[name] = forms.BooleanField(label=label, required=False)
            else:
                self.fields[name] = forms.IntegerField(
                    label=label, min_value=0, max_value=poll.points_cap, initial=0, required=False
                )

    def clean(self):
        # A field for a proposal that is not on this ballot (another poll's, or made up) is
        # refused, not silently dropped: the voter must know what counts.
        if any(name.startswith("option_") and name not in self.fields for name in self.data):
            raise ValidationError(
                _("The ballot names a proposal that is not part of this poll."), code="unknown_option"
            )
        return super().clean()

    def choices(self) -> dict[int, int]:
        result = {}
        for option in self.options:
            value = self.cleaned_data.get(f"option_{option.pk}")
            result[option.pk] = int(value or 0)
        return result


class RegisterAttendeeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))


def _passphrase_field(label, *, autocomplete: str, help_text: str = "") -> forms.CharField:
    # Longer input is refused with a message, not cut off: Argon2id never sees a pasted book.
    return forms.CharField(
        label=label,
        strip=False,
        max_length=sealing.PASSPHRASE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        error_messages={"required": _("Please enter the passphrase.")},
    )


class PollPassphraseForm(forms.Form):
    """The officers choose the passphrase a secret poll's ballots are sealed to."""

    passphrase = _passphrase_field(
        _("Passphrase"),
        autocomplete="new-password",
        help_text=_(
            "At least %(min)s characters; best several unrelated words. Counting needs exactly "
            "this passphrase again."
        )
        % {"min": sealing.PASSPHRASE_MIN_LENGTH},
    )
    passphrase_again = _passphrase_field(_("Passphrase again"), autocomplete="new-password")
    understood = forms.BooleanField(
        label=_(
            "We have written the passphrase down and keep it safe. We understand that without it "
            "nobody, not even the portal's administrators, can count this poll."
        ),
        error_messages={"required": _("Please confirm that you keep the passphrase safe.")},
    )

    def clean_passphrase(self) -> str:
        try:
            return sealing.check_passphrase(self.cleaned_data["passphrase"])
        except sealing.SealingError as error:
            raise ValidationError(str(error), code="passphrase") from error

    def clean(self):
        cleaned = super().clean()
        first, again = cleaned.get("passphrase"), cleaned.get("passphrase_again")
        if first and again is not None and sealing.normalise_passphrase(again) != first:
            self.add_error("passphrase_again", _("The two passphrases differ."))
        return cleaned


class PollCountForm(forms.Form):
    """An officer enters the poll's passphrase to count its sealed ballots."""

    passphrase = _passphrase_field(_("Passphrase"), autocomplete="current-password")
