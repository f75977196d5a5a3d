from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from geraportal.accounts import personal_data
        from geraportal.pages import home

        from . import privacy

        home.register(
            "ideas",
            template="ideas/includes/home_section.html",
            # No query: the home page must stay cheap whatever the apps add to it.
            context=lambda request: {},
            order=10,
        )
        personal_data.register("ideas", export=privacy.export, erase=privacy.erase)
