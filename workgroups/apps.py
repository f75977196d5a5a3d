from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from geraportal.pages import home

        from .models import WorkingGroup

        home.register(
            "workgroups",
            template="workgroups/includes/home_section.html",
            context=lambda request: {"groups": list(WorkingGroup.objects.all())},
            order=20,
        )
