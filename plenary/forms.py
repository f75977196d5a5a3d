from django import forms
from django.utils.translation import gettext_lazy as _

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

    def choices(self) -> dict[int, int]:
        result = {}
        for option in self.options:
            value = self.cleaned_data.get(f"option_{option.pk}")
            result[option.pk] = int(value or 0)
        return result


class RegisterAttendeeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
