from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "geraportal.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from geraportal.accounts import personal_data

        from . import services

        personal_data.register(
            "newsletter", export=services.personal_data_export, erase=services.personal_data_erase
        )
