from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """Administration in the back-office: staff roles, the audit log, the districts table.

    Its own package because it needs accounts, core, districts and notifications, and
    accounts must not import notifications (which imports accounts).
    """

    name = "geraportal.backoffice"
    label = "backoffice"
    verbose_name = _("Back-office")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from geraportal.accounts.context_processors import on_login
        from geraportal.core import backoffice

        from . import notifications

        notifications.register()
        user_logged_in.connect(on_login, dispatch_uid="backoffice.staff_link")
        admin = backoffice.ADMIN
        backoffice.register_task(
            "backoffice.roles", area=admin, label=_("Roles: SMARTCity team and strategy group"),
            url="staff:roles", perm="accounts.change_roles", order=10,
        )  # fmt: skip
        backoffice.register_task(
            "backoffice.audit", area=admin, label=_("Audit log of staff actions"),
            url="staff:audit_log", perm="core.view_staffaction", order=20,
        )  # fmt: skip
        backoffice.register_task(
            "backoffice.districts", area=backoffice.TABLES, label=_("Districts"),
            url="staff:district_list", perm="districts.change_district", order=40,
        )  # fmt: skip
