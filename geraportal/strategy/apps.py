from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "geraportal.strategy"
    label = "strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        from geraportal.accounts import personal_data

        from . import notifications, privacy

        notifications.register()
        personal_data.register("strategy", export=privacy.export, erase=privacy.erase)
