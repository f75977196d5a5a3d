"""Predicates about plenary polls — the words `rules.py` is written in.

They read only the poll row and its frozen list of voters and import no model of this app,
so `models`, `rules` and the views can all use them. Each is safe with an anonymous user.
"""

import rules

from geraportal.accounts.models import User


@rules.predicate
def poll_is_public(user: User, poll) -> bool:
    """Drafts are the team's; from opening on, a poll is public."""
    return poll is not None and poll.status != "draft"


@rules.predicate
def poll_is_closed(user: User, poll) -> bool:
    """Closed and, for a sealed poll, counted: before the count there is no result to show."""
    return poll is not None and poll.status == "closed" and not poll.awaits_count


@rules.predicate
def poll_is_published(user: User, poll) -> bool:
    return poll is not None and poll.status == "published"


@rules.predicate
def is_eligible_voter(user: User, poll) -> bool:
    """On the poll's list of voters, frozen when it opened (one query, remembered on the poll)."""
    if poll is None or not user.is_authenticated:
        return False
    cache = poll.__dict__.setdefault("_eligible", {})
    if user.pk not in cache:
        cache[user.pk] = poll.eligible_voters.filter(user=user).exists()
    return cache[user.pk]
