from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlenaryConfig(AppConfig):
    name = "plenary"
    verbose_name = _("Plenary")

    def ready(self) -> None:
        from geraportal.accounts import personal_data
        from geraportal.pages import events

        from . import backoffice, notifications, privacy
        from .calendar import calendar_entries

        notifications.register()
        backoffice.register()
        events.register("plenary", calendar_entries, label=_("Plenary meetings"))
        personal_data.register("plenary", export=privacy.export, erase=privacy.erase)
