from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Participation in figures: the SMARTCity team's dashboard and the public summary.

    It sits at the end of the pipeline next to `api`: it counts what every app holds, and no
    app imports it.
    """

    name = "dashboard"
    verbose_name = _("Participation in figures")

    def ready(self) -> None:
        from geraportal.core import backoffice

        backoffice.register_task(
            "dashboard", area=backoffice.PROCESS, label=_("Participation dashboard: figures and downloads"),
            url="staff:dashboard", perm="dashboard.view_dashboard", order=5,
        )  # fmt: skip
