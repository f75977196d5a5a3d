"""For tests of other apps: do now what the fan-out task does after commit."""

from geraportal.notifications import services
from geraportal.notifications.models import NotificationEvent


def fan_out_events() -> int:
    """Fan out every recorded event not yet fanned out (the task's work, inside the test's transaction).

    Tests run inside one transaction, so `on_commit` never fires; this stands in for the
    task that would run after commit. Returns how many new notifications were written.
    """
    return sum(
        services.event_fan_out(event_id=pk)
        for pk in NotificationEvent.objects.unfanned().values_list("pk", flat=True)
    )
