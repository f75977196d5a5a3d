"""The plenary's part of "download my data" and account deletion. Never a ballot's content."""

from .models import Attendee, VoterRoll


def export(user) -> dict:
    return {
        "attendances": [
            {
                "meeting": a.meeting.title,
                "registered_at": a.registered_at.isoformat(),
                "checked_in_at": a.checked_in_at.isoformat() if a.checked_in_at else None,
            }
            for a in Attendee.objects.filter(user=user).select_related("meeting")
        ],
        # That you voted, your receipt and the hash of your sealed ballot (secret polls) —
        # what you voted is not linked to you.
        "votes": [
            {
                "poll": r.poll.title,
                "voted_at": r.voted_at.isoformat(),
                "receipt": r.receipt,
                "ballot_hash": r.ballot_digest,
            }
            for r in VoterRoll.objects.filter(user=user).select_related("poll")
        ],
    }


def erase(user, *, delete_contributions: bool) -> None:
    # Registrations go; the voter roll stays (it is what makes "one person, one ballot"
    # verifiable) and now points at an anonymous account.
    Attendee.objects.filter(user=user).delete()
