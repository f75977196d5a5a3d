from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Pilot projects")

    def ready(self) -> None:
        from geraportal.accounts import personal_data, profile_sections
        from geraportal.pages import home
        from geraportal.strategy import measure_page
        from workgroups import group_page
        from workgroups import references as workgroup_references

        from . import backoffice, fragments, notifications, privacy, references, selectors

        notifications.register()
        backoffice.register()
        home.sections.register(
            "pilots",
            template="pilots/includes/home_section.html",
            context=lambda request: {"cards": fragments.pilot_cards(selectors.home_pilots())},
            order=30,
        )
        personal_data.register("pilots", export=privacy.export, erase=privacy.erase)
        profile_sections.sections.register(
            "pilots", template="pilots/includes/profile_section.html", context=selectors.profile_pilots
        )
        # A working group's page shows the pilots it proposed; its discussions may point at
        # pilots (listed back on the pilot's page).
        group_page.sections.register(
            "pilots",
            template="pilots/includes/group_pilots.html",
            context=lambda group, user: selectors.group_pilots(group=group, user=user),
            order=20,
        )
        workgroup_references.register(references.KIND)
        # A measure of the strategy lists the pilots that implement it, with their progress.
        measure_page.sections.register(
            "pilots",
            template="pilots/includes/measure_pilots.html",
            context=lambda measure, user: selectors.measure_pilots(measure=measure, user=user),
            order=20,
        )
