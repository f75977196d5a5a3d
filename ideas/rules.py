"""Who may do what with ideas. Every view and queryset asks here; templates only hide buttons.

Working-group moderators moderate the ideas of their theme; the SMARTCity team moderates all.
"""

from datetime import timedelta

import rules
from django.utils import timezone

from geraportal.accounts.rules import is_smartcity_team, is_verified_citizen
from workgroups.selectors import moderated_group_ids

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def moderated_theme_ids(user) -> set[int] | None:
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
    return (
        comment is not None
        and not comment.hidden
        and timezone.now() - comment.created_at <= COMMENT_EDIT_WINDOW
    )


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


can_view_idea = idea_is_public | is_idea_author | is_idea_moderator

rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.add_idea", is_verified_citizen)
rules.add_perm("ideas.change_idea", is_verified_citizen & is_idea_author & idea_is_editable)
rules.add_perm("ideas.support_idea", is_verified_citizen & idea_is_open)
rules.add_perm("ideas.comment_idea", is_verified_citizen & idea_is_public)
rules.add_perm("ideas.follow_idea", is_verified_citizen & can_view_idea)
rules.add_perm("ideas.report_idea", is_verified_citizen & idea_is_public)
rules.add_perm("ideas.moderate_idea", is_idea_moderator)
rules.add_perm("ideas.view_revisions", is_idea_moderator)
rules.add_perm("ideas.view_moderation_queue", is_moderator_anywhere)
rules.add_perm("ideas.change_comment", is_verified_citizen & is_comment_author & comment_is_fresh)
rules.add_perm("ideas.moderate_comment", is_comment_moderator)
rules.add_perm("ideas.export_ideas", is_smartcity_team)
rules.add_perm("ideas.score_competition", is_juror & competition_in_evaluation)
# Jurors never see each other's scores before the results; the team runs the competition.
rules.add_perm("ideas.view_competition_scores", competition_results_published | is_smartcity_team)

# The Django admin (the team manages competitions, criteria and the jury there).
rules.add_perm("ideas", is_smartcity_team)
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"ideas.{_action}_competition", is_smartcity_team)
    rules.add_perm(f"ideas.{_action}_criterion", is_smartcity_team)
