"""Forms of the plenary's back-office pages: meetings with their agenda, and draft polls."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geraportal.pages.forms import DateTimeLocalInput
from pilots.models import Pilot
from workgroups.models import WorkingGroup

from .models import AgendaItem, Meeting, Poll
from .services import AgendaEntry


def _proposals():
    return Pilot.objects.exclude(status=Pilot.Status.DRAFT).order_by("title")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "slug", "starts_at", "place", "description", "registration_deadline"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "registration_deadline": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"slug": _("The meeting's address: /plenary/<slug>/ (letters, digits and hyphens).")}

    def clean(self):
        data = super().clean()
        starts, deadline = data.get("starts_at"), data.get("registration_deadline")
        if starts and deadline and deadline > starts:
            self.add_error("registration_deadline", _("Registration must close before the meeting begins."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "pilot"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = _proposals()
        self.fields["pilot"].empty_label = _("None (not about a proposal)")
        self.fields["title"].required = False

    def clean(self):
        data = super().clean()
        if data.get("pilot") and not data.get("title"):
            data["title"] = data["pilot"].title
        return data

    def entry(self) -> AgendaEntry | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("title"):
            return None
        return AgendaEntry(title=data["title"], pilot=data.get("pilot"), pk=self.instance.pk)


AgendaFormSet = forms.inlineformset_factory(
    Meeting, AgendaItem, form=AgendaItemForm, extra=3, can_delete=True
)


class PollForm(forms.ModelForm):
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals on the ballot"),
        queryset=Pilot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one proposal.")},
        help_text=_("Proposals on the meeting's agenda; only proposals (not drafts) can be put to the vote."),
    )

    class Meta:
        model = Poll
        fields = [
            "meeting", "title", "description", "method", "max_choices", "points_budget", "points_cap",
            "quorum", "eligibility", "eligible_groups", "secret", "selection_size", "opens_at", "closes_at",
        ]  # fmt: skip
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligible_groups": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "secret": _("Secret: ballots are sealed to a passphrase the officers choose when opening."),
            "opens_at": _("Empty: opened by hand."),
            "closes_at": _("Empty: closed by hand."),
        }

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        proposals = _proposals()
        meeting = meeting or self.instance.meeting if self.instance.pk else meeting
        if meeting is not None:
            chosen = (
                self.instance.options.values("pilot")
                if self.instance.pk
                else Pilot.objects.none().values("pk")
            )
            proposals = proposals.filter(
                Q(plenary_agenda_items__meeting=meeting) | Q(pk__in=chosen)
            ).distinct()
            self.fields["meeting"].initial = meeting.pk
        self.fields["proposals"].queryset = proposals
        self.fields["eligible_groups"].queryset = WorkingGroup.objects.order_by("position", "pk")
        if self.instance.pk:
            self.initial["proposals"] = list(self.instance.options.values_list("pilot_id", flat=True))

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == Poll.Method.APPROVAL and not data.get("max_choices"):
            self.add_error("max_choices", _("Please say how many proposals one may tick (k)."))
        if method == Poll.Method.POINTS:
            if not data.get("points_budget"):
                self.add_error("points_budget", _("Please give the points each voter distributes."))
            if not data.get("points_cap"):
                self.add_error("points_cap", _("Please give the most points one proposal may get."))
        if data.get("eligibility") == Poll.Eligibility.ATTENDEES and not data.get("meeting"):
            self.add_error("meeting", _("Attendees of a meeting vote only in a poll at that meeting."))
        if data.get("eligibility") == Poll.Eligibility.WORKGROUPS and not data.get("eligible_groups"):
            self.add_error("eligible_groups", _("Please choose the working groups whose members vote."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The poll must close after it opens."))
        proposals = data.get("proposals") or []
        k = data.get("max_choices")
        if method == Poll.Method.APPROVAL and k and proposals and k > len(proposals):
            self.add_error("max_choices", _("k is larger than the number of proposals."))
        return data
