"""The pilots part of "download my data" and "delete my account".

Follows exist only to notify the person, so they always go. Progress updates, drafts and
status changes are the city's official record of a project: they stay, and with them the
link to the account, which after deletion shows as "Deleted participant".
"""

from .models import Pilot, PilotFollow, PilotStatusChange, PilotUpdate


def export(user) -> dict:
    return {
        "follows": [
            {"pilot": f.pilot_id, "title": f.pilot.title, "date": f.created_at.isoformat()}
            for f in PilotFollow.objects.filter(user=user).select_related("pilot").order_by("pk")
        ],
        "created": [
            {"pilot": p.pk, "title": p.title, "date": p.created_at.isoformat()}
            for p in Pilot.objects.filter(created_by=user).order_by("pk")
        ],
        "status_changes": [
            {
                "pilot": c.pilot_id,
                "from": c.from_status,
                "to": c.to_status,
                "note": c.note,
                "date": c.created_at.isoformat(),
            }
            for c in PilotStatusChange.objects.filter(actor=user).order_by("pk")
        ],
        "updates": [
            {"pilot": u.pilot_id, "title": u.title, "text": u.body, "date": u.published_at.isoformat()}
            for u in PilotUpdate.objects.filter(author=user).order_by("pk")
        ],
    }


def erase(user, *, delete_contributions: bool) -> None:
    PilotFollow.objects.filter(user=user).delete()
