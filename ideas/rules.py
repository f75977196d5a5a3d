"""Who may do what with ideas. Every view and queryset asks here; templates only hide buttons.

Working-group moderators moderate the ideas of their theme; the SMARTCity team moderates all.
The predicates live in `predicates.py`.
"""

import rules

from geraportal.accounts.rules import is_smartcity_team, is_verified_citizen

from .predicates import (
    comment_is_fresh,
    competition_in_evaluation,
    competition_results_published,
    idea_is_editable,
    idea_is_open,
    idea_is_public,
    is_comment_author,
    is_comment_moderator,
    is_idea_author,
    is_idea_moderator,
    is_juror,
    is_moderator_anywhere,
    moderated_theme_ids,  # noqa: F401 -- still imported from here by ideas.selectors
)

can_view_idea = idea_is_public | is_idea_author | is_idea_moderator

rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.add_idea", is_verified_citizen)
rules.add_perm("ideas.change_idea", is_verified_citizen & is_idea_author & idea_is_editable)
rules.add_perm("ideas.support_idea", is_verified_citizen & idea_is_open & ~is_idea_author)
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

# The back-office: the team publishes a competition's ranking with the jury's reasons, and
# enters ideas and comments that people gave at workshops, on the phone or by letter.
rules.add_perm("ideas.publish_ranking", is_smartcity_team)
rules.add_perm("ideas.enter_on_behalf", is_smartcity_team)
