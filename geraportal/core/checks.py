"""System checks for settings whose values depend on each other."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def email_timeout_below_stuck_after(app_configs, **kwargs) -> list[Error]:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    stuck_after = getattr(settings, "OUTBOX_STUCK_AFTER_SECONDS", None)
    if timeout is None or stuck_after is None:
        return [Error("EMAIL_TIMEOUT must be set, or a stalled SMTP server blocks a worker.", id="core.E001")]
    if timeout >= stuck_after:
        return [
            Error(
                f"EMAIL_TIMEOUT ({timeout} s) must be smaller than OUTBOX_STUCK_AFTER_SECONDS "
                f"({stuck_after} s), or a slow send is taken for a lost one and sent twice.",
                id="core.E002",
            )
        ]
    return []
