"""The strategy's part of "download my data" and "delete my account"."""

from typing import Any

from geraportal.accounts.models import User

from .models import Follower, Suggestion


def export(user: User) -> dict[str, Any]:
    return {
        "follows_the_strategy": Follower.objects.filter(user=user).exists(),
        "suggestions": [
            {
                "edition": s.edition.year,
                "section": s.section.key,
                "kind": s.kind,
                "passage": s.quote,
                "replacement": s.replacement,
                "text": s.text,
                "status": s.status,
                "decision_reason": s.decision_reason,
                "hidden_reason": s.hidden_reason,
                "created_at": s.created_at.isoformat(),
            }
            for s in Suggestion.objects.filter(author=user).select_related("edition", "section")
        ],
    }


def erase(user: User, *, delete_contributions: bool) -> None:
    """Following stops. Suggestions stay on the anonymous account (the decisions and the
    versions of the text refer to them), unless the person asks for their contributions to go:
    then their open ones are deleted and the decided ones lose their words but keep the
    decision, so the public record of why the text changed stays whole."""
    Follower.objects.filter(user=user).delete()
    if not delete_contributions:
        return
    mine = Suggestion.objects.filter(author=user)
    mine.filter(status=Suggestion.Status.OPEN).delete()
    mine.update(text="", replacement="")
