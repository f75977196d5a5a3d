"""Predicates about ideas, comments and competitions — the words `rules.py` is written in.

They import no model of this app, so `models` (`.visible_to`), `rules` and `selectors` can all
use them without importing each other. Each is safe with an anonymous user.
"""

import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from geraportal.accounts.models import User
from geraportal.accounts.rules import is_smartcity_team
from workgroups.selectors import moderated_group_ids


def moderated_theme_ids(user: User | AnonymousUser | None) -> set[int] | None:
    """Themes `user` moderates: None means all of them (SMARTCity team), an empty set none."""
    if user is None or not user.is_authenticated:
        return set()
    if is_smartcity_team(user):
        return None
    return moderated_group_ids(user)


@rules.predicate
def is_moderator_anywhere(user) -> bool:
    themes = moderated_theme_ids(user)
    return themes is None or bool(themes)


@rules.predicate
def is_idea_moderator(user, idea) -> bool:
    if idea is None:
        return False
    themes = moderated_theme_ids(user)
    return themes is None or idea.theme_id in themes


@rules.predicate
def is_idea_author(user, idea) -> bool:
    return idea is not None and user.is_authenticated and idea.author_id == user.pk


@rules.predicate
def idea_is_public(user, idea) -> bool:
    return idea is not None and not idea.hidden


@rules.predicate
def idea_is_open(user, idea) -> bool:
    return idea is not None and idea.is_open


@rules.predicate
def idea_is_editable(user, idea) -> bool:
    return idea is not None and idea.is_editable_by_author


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def comment_is_fresh(user, comment) -> bool:
    return comment is not None and comment.is_editable_at(timezone.now())


@rules.predicate
def is_comment_moderator(user, comment) -> bool:
    return comment is not None and is_idea_moderator(user, comment.idea)


@rules.predicate
def is_juror(user, competition) -> bool:
    if competition is None or not user.is_authenticated:
        return False
    juror_ids = getattr(competition, "_juror_ids", None)
    if juror_ids is None:
        juror_ids = set(competition.jury.values_list("pk", flat=True))
        competition._juror_ids = juror_ids
    return user.pk in juror_ids


@rules.predicate
def competition_in_evaluation(user, competition) -> bool:
    return competition is not None and competition.phase == competition.Phase.EVALUATION


@rules.predicate
def competition_results_published(user, competition) -> bool:
    return competition is not None and competition.results_published
