from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from geraportal.accounts import personal_data
        from geraportal.pages import home, workshop_page
        from workgroups import group_page
        from workgroups import references as workgroup_references

        from . import backoffice, notifications, privacy, references, selectors

        notifications.register()
        home.sections.register(
            "ideas",
            template="ideas/includes/home_section.html",
            # No query: the home page must stay cheap whatever the apps add to it.
            context=lambda request: {},
            order=10,
        )
        personal_data.register("ideas", export=privacy.export, erase=privacy.erase)
        # A working group is the theme of its ideas: its page shows the newest of them,
        # and its discussions may point at ideas (shown back on the idea's page).
        group_page.sections.register(
            "ideas",
            template="ideas/includes/group_ideas.html",
            context=lambda group, user: {"ideas": selectors.theme_ideas(theme=group, user=user)},
            order=10,
        )
        workgroup_references.register(references.KIND)
        backoffice.register()
        workshop_page.sections.register(
            "ideas",
            template="ideas/includes/workshop_contributions.html",
            context=lambda event, user: selectors.workshop_contributions(event_id=event.pk),
            order=10,
        )
