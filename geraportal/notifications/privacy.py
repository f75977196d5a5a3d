from geraportal.accounts.personcache import person_fact_forget

from .models import Notification, NotificationPreference, OutboxEmail
from .selectors import UNREAD


def export(user) -> dict:
    return {
        "preferences": dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "frequency")
        ),
        "notifications": [
            {
                "kind": n.kind,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "emails": [
            {"subject": e.subject, "status": e.status, "created_at": e.created_at.isoformat()}
            for e in OutboxEmail.objects.filter(recipient=user).order_by("created_at")
        ],
    }


def erase(user, *, delete_contributions: bool) -> None:
    # Notifications and e-mails to a person are about that person: they go in any case.
    Notification.objects.filter(recipient=user).delete()
    person_fact_forget(topic=UNREAD, person_ids=[user.pk])
    NotificationPreference.objects.filter(user=user).delete()
    OutboxEmail.objects.filter(recipient=user).delete()
