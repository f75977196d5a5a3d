from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "geraportal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from geraportal.accounts import personal_data

        from . import privacy

        personal_data.register("notifications", export=privacy.export, erase=privacy.erase)
