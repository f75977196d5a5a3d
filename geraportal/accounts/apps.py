from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "geraportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from . import personal_data  # noqa: F401  (registers the account's own data section)
        from .models import User
        from .signals import forget_group_names

        m2m_changed.connect(
            forget_group_names, sender=User.groups.through, dispatch_uid="accounts.group_names"
        )
