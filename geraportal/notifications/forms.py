from django import forms

from . import kinds
from .kinds import Frequency


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.registered():
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=initial_frequencies[kind.value],
                widget=forms.RadioSelect,
            )
