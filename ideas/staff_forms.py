"""Forms of the back-office pages of ideas: competitions and contributions from outside the portal."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from geraportal.accounts.models import User
from geraportal.pages.forms import DateTimeLocalInput
from geraportal.pages.models import Event
from workgroups.models import WorkingGroup

from .forms import IdeaForm
from .models import Competition, Criterion, Source
from .services import CriterionData, OfflineSource


class CompetitionForm(forms.ModelForm):
    jury_emails = forms.CharField(
        label=_("Jury"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The e-mail addresses of the jurors' accounts, one per line."),
    )

    class Meta:
        model = Competition
        fields = [
            "title", "slug", "description", "themes", "submission_start", "submission_end", "results_at",
            "winners_count",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "submission_start": DateTimeLocalInput(),
            "submission_end": DateTimeLocalInput(),
            "results_at": DateTimeLocalInput(),
        }
        labels = {"results_at": _("results are published")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = WorkingGroup.objects.order_by("position", "pk")
        if self.instance.pk and not self.is_bound:
            self.initial["jury_emails"] = "\n".join(u.email for u in self.instance.jury.order_by("email"))

    def clean_jury_emails(self) -> list[User]:
        addresses = [line.strip() for line in self.cleaned_data["jury_emails"].splitlines() if line.strip()]
        jurors, unknown = [], []
        for address in dict.fromkeys(a.lower() for a in addresses):
            user = User.objects.filter(email__iexact=address, is_active=True, deleted_at__isnull=True).first()
            if user is None:
                unknown.append(address)
            else:
                jurors.append(user)
        if unknown:
            raise ValidationError(
                _("No account has the address %(addresses)s. Jurors need an account on the portal.")
                % {"addresses": ", ".join(unknown)}
            )
        return jurors

    def clean(self):
        data = super().clean()
        start, end, results = (data.get(n) for n in ("submission_start", "submission_end", "results_at"))
        if start and end and end <= start:
            self.add_error("submission_end", _("The submission period must end after it begins."))
        if end and results and results < end:
            self.add_error("results_at", _("The results come after the end of the submission period."))
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight"]

    def data_row(self) -> CriterionData | None:
        if not self.cleaned_data or self.cleaned_data.get("DELETE") or not self.cleaned_data.get("name"):
            return None
        return CriterionData(
            name=self.cleaned_data["name"].strip(),
            description=self.cleaned_data.get("description", "").strip(),
            weight=self.cleaned_data["weight"],
            pk=self.instance.pk,
        )


CriterionFormSet = forms.inlineformset_factory(
    Competition, Criterion, form=CriterionForm, extra=3, can_delete=True, min_num=0
)


class RankingForm(forms.Form):
    """One reason per ranked idea; required for the winners (checked by the service)."""

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.ranking = ranking
        for row in ranking:
            self.fields[f"reason_{row.idea.pk}"] = forms.CharField(
                label=_("Reason for place %(rank)s: %(title)s") % {"rank": row.rank, "title": row.idea.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required for a winning idea.") if row.is_winner else "",
            )

    def reasons(self) -> dict[int, str]:
        return {row.idea.pk: self.cleaned_data.get(f"reason_{row.idea.pk}", "") for row in self.ranking}


OFFLINE_SOURCES = [(v, label) for v, label in Source.choices if v != Source.ONLINE]


class OfflineSourceForm(forms.Form):
    """Where a contribution came from and what the person agreed to. Shared by ideas and comments."""

    source = forms.ChoiceField(label=_("Given"), choices=OFFLINE_SOURCES, widget=forms.RadioSelect)
    source_event = forms.ModelChoiceField(
        label=_("Workshop"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Please choose"),
        help_text=_("For a workshop: which one (its name and date are shown with the contribution)."),
    )
    source_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a call or a letter: when it came."),
    )
    on_behalf_of = forms.CharField(
        label=_("Name shown publicly"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to show “a participant”."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address of the person (optional)"),
        required=False,
        help_text=_("So the person hears what becomes of it. Not shown publicly."),
    )
    consent = forms.BooleanField(
        label=_(
            "The person agreed that we publish this contribution on the portal (with the name shown above, "
            "if any) and, if given, store their e-mail address to tell them what becomes of it."
        ),
        error_messages={"required": _("Without the person's consent the contribution cannot be published.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_event"].queryset = Event.objects.order_by("-starts_at")

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == Source.WORKSHOP and not data.get("source_event"):
            self.add_error("source_event", _("Please choose the workshop."))
        if source in (Source.PHONE, Source.LETTER) and not data.get("source_date"):
            self.add_error("source_date", _("Please give the date of the call or the letter."))
        return data

    def origin(self) -> OfflineSource:
        data = self.cleaned_data
        return OfflineSource(
            source=data["source"],
            event=data.get("source_event"),
            date=data.get("source_date"),
            on_behalf_of=data.get("on_behalf_of", ""),
            contact_email=data.get("contact_email", ""),
        )


class OnBehalfIdeaForm(IdeaForm):
    """The citizen's idea form, without the image (a workshop's paper rarely has one)."""

    class Meta(IdeaForm.Meta):
        fields = [name for name in IdeaForm.Meta.fields if name != "image_alt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("image", "image_alt", "remove_image", "submission_token", "pending_image"):
            self.fields.pop(name, None)


class OnBehalfCommentForm(forms.Form):
    idea = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
