from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from geraportal.accounts import personal_data
        from geraportal.core import backup
        from geraportal.pages import events, home
        from geraportal.strategy import groups as strategy_groups
        from geraportal.strategy import reminders

        from . import backoffice, ics, notifications, selectors, services
        from .models import WorkingGroup
        from .storage import document_storage

        notifications.register()
        backoffice.register()
        home.sections.register(
            "workgroups",
            template="workgroups/includes/home_section.html",
            context=lambda request: {"groups": list(WorkingGroup.objects.all())},
            order=20,
        )
        personal_data.register(
            "workgroups", export=services.personal_data_export, erase=services.personal_data_erase
        )
        # Public meetings belong in the portal's events calendar; members-only ones never do.
        events.register("workgroups", ics.public_meeting_entries, label=_("Working-group meetings"))
        # The group moderators carry the strategy's themes: they are reminded to update it too.
        reminders.register_recipients("workgroups.moderators", selectors.active_moderators)
        # Each section of the strategy belongs to a group's theme; the group reviews its suggestions.
        strategy_groups.register(names=selectors.strategy_group_names, roles_of=selectors.strategy_roles_of)
        backup.register_storage("workgroups-documents", lambda: document_storage)
        # A framework hook, not domain flow: confirming an address proves that the person owns
        # it, which is what an invitation to that address waits for.
        email_confirmed.connect(_accept_invitations, dispatch_uid="workgroups.accept_invitations")
        # Derived data: every membership written or deleted (services, admin, a deleted group)
        # drops its person's cached roles (`Membership.objects.roles_of`).
        from django.db.models.signals import post_delete, post_save

        from .models import Membership

        post_save.connect(forget_cached_roles, sender=Membership, dispatch_uid="workgroups.roles_saved")
        post_delete.connect(forget_cached_roles, sender=Membership, dispatch_uid="workgroups.roles_deleted")


def _accept_invitations(request, email_address, **kwargs) -> None:
    from .services import invitations_accept_for_email

    invitations_accept_for_email(user=email_address.user, email=email_address.email)


def forget_cached_roles(sender, instance, **kwargs) -> None:
    from geraportal.accounts.personcache import person_fact_forget

    from .models import ROLES

    person_fact_forget(topic=ROLES, person_ids=[instance.user_id])
