import ipaddress

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from . import addresses, events
from .models import Endpoint


class EndpointForm(forms.ModelForm):
    url = forms.CharField(
        label=_("URL of the receiver"),
        max_length=500,
        help_text=_("An HTTPS address of the other system, e.g. https://daten.gera.de/hooks/portal"),
        error_messages={
            "required": _("Please enter the receiver's address."),
            "max_length": _(
                "The address may have at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(events.EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one event.")},
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "is_active"]
        labels = {"description": _("Description"), "is_active": _("Active")}
        help_texts = {
            "description": _("Which system this is and who looks after it."),
            "is_active": _("Only active endpoints receive events."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["events"].initial = list(events.EVENTS)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            URLValidator(schemes=["https", "http"])(url)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("This is not a complete web address. Please enter it as https://host/path.")
            ) from None
        try:
            scheme, host, _port, _path = addresses.check_url(url)
        except addresses.AddressRefused:
            if url.lower().startswith("http://"):
                raise forms.ValidationError(
                    _("Only HTTPS addresses are allowed: the events must travel encrypted.")
                ) from None
            raise forms.ValidationError(
                _(
                    "This address cannot be used: it must start with https:// and contain no "
                    "user name or password."
                )
            ) from None
        if not addresses.is_allowed_host(host):
            self._refuse_internal(host)
        return url

    def _refuse_internal(self, host: str) -> None:
        """Refuse what is internal already by its name or its literal address; the worker
        checks the resolved addresses again before every attempt (DNS may change)."""
        message = _(
            "This address points into an internal network (%(host)s). Webhooks may only go to "
            "public addresses, unless an administrator allows the host (WEBHOOK_ALLOWED_HOSTS)."
        )
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            if host.lower() == "localhost" or host.lower().endswith((".localhost", ".local", ".internal")):
                raise forms.ValidationError(message % {"host": host}) from None
            return
        if not addresses.is_public_address(ip):
            raise forms.ValidationError(message % {"host": host})

    def clean_events(self) -> list[str]:
        chosen = self.cleaned_data["events"]
        return [name for name in events.EVENTS if name in chosen]
