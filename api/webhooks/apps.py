from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Webhooks: the city's other systems hear of public events by signed HTTPS POSTs.

    Part of `api` (the end of the pipeline): it turns events the apps record through
    `notifications.notify()` into deliveries, with the API's serializers for the payload.
    """

    name = "api.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from geraportal.core import backoffice
        from geraportal.notifications import listeners

        from . import events, notifications, selectors

        notifications.register()
        for prefix in events.PREFIXES:
            listeners.register(prefix, events.on_event, name="webhooks")
        backoffice.register_task(
            "webhooks.endpoints", area=backoffice.ADMIN, label=_("Webhooks for the city's other systems"),
            url="staff:webhook_list", perm="webhooks.manage", order=30,
        )  # fmt: skip
        backoffice.register_todos("webhooks.disabled", collect=selectors.disabled_todos, order=90)
