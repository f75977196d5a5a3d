"""Who may do what with the strategy, by role and by the phase of the edition's cycle.

The phase comes from the edition's dates (`StrategyEdition.phase`); the working-group roles
from `groups.roles_of`, which the working groups app fills in.
"""

from dataclasses import dataclass

import rules

from geraportal.accounts.rules import is_smartcity_team, is_strategy_group, is_verified_citizen

from . import groups
from .models import Phase, StrategyEdition, Suggestion


@dataclass(frozen=True)
class GroupReview:
    """A working group's view of an edition's suggestions: the object of the review rules."""

    edition: StrategyEdition
    theme: str


def _edition(obj) -> StrategyEdition | None:
    if isinstance(obj, StrategyEdition):
        return obj
    if isinstance(obj, GroupReview | Suggestion):
        return obj.edition
    return None


def _in_phase(*phases: Phase):
    names = "_".join(phases)

    @rules.predicate(name=f"in_phase:{names}")
    def predicate(user, obj) -> bool:
        edition = _edition(obj)
        return edition is not None and edition.phase() in phases

    return predicate


@rules.predicate
def is_published_edition(user, obj) -> bool:
    edition = _edition(obj)
    return edition is not None and edition.published_at is not None


@rules.predicate
def is_public_edition(user, obj) -> bool:
    """Everything but a draft is public: the consultation is on the draft of the next edition."""
    edition = _edition(obj)
    return edition is not None and edition.phase() != Phase.DRAFT


@rules.predicate
def is_group_member(user, obj) -> bool:
    return isinstance(obj, GroupReview) and obj.theme in groups.roles_of(user)


@rules.predicate
def is_group_moderator_of_section(user, obj) -> bool:
    if isinstance(obj, GroupReview):
        theme = obj.theme
    elif isinstance(obj, Suggestion):
        theme = obj.section.theme
    else:
        return False
    return bool(theme) and groups.roles_of(user).get(theme) == groups.MODERATOR


in_consultation = _in_phase(Phase.CONSULTATION)
in_review = _in_phase(Phase.REVIEW)
editable = _in_phase(Phase.DRAFT, Phase.CONSULTATION, Phase.REVIEW, Phase.DECISION)

# The Django admin and the staff page.
rules.add_perm("strategy", is_smartcity_team)
rules.add_perm("strategy.manage", is_smartcity_team)
for _model in ("strategyedition", "suggestion", "strategymeasure"):
    rules.add_perm(f"strategy.view_{_model}", is_smartcity_team)
    rules.add_perm(f"strategy.change_{_model}", is_smartcity_team)
rules.add_perm("strategy.add_strategyedition", is_smartcity_team)
rules.add_perm("strategy.add_strategymeasure", is_smartcity_team)
rules.add_perm("strategy.view_strategyreminder", is_smartcity_team)

# Reading: a draft is the team's (and the strategy group's); from the consultation on, public.
# The PDF is the published strategy: before publication only those who prepare it see it.
rules.add_perm("strategy.download_edition", is_published_edition | is_smartcity_team | is_strategy_group)
rules.add_perm("strategy.view_edition", is_public_edition | is_smartcity_team | is_strategy_group)
# The team writes the text until the strategy group has approved it.
rules.add_perm("strategy.change_edition", is_smartcity_team & editable)
rules.add_perm("strategy.generate_pdf", is_smartcity_team)
# Citizens suggest during the public consultation.
rules.add_perm("strategy.suggest", is_verified_citizen & in_consultation)
# A group's members see its review; its moderators record the group's recommendation.
rules.add_perm(
    "strategy.view_review",
    _in_phase(Phase.REVIEW, Phase.DECISION, Phase.APPROVAL) & (is_group_member | is_smartcity_team),
)
rules.add_perm("strategy.recommend", in_review & is_group_moderator_of_section)
# Spam, abuse and off-topic suggestions are hidden in any phase (hiding is no decision on
# them): by the team, or by the moderators of the group that reviews the section.
rules.add_perm("strategy.moderate_suggestion", is_smartcity_team | is_group_moderator_of_section)
rules.add_perm("strategy.decide_suggestion", is_smartcity_team & _in_phase(Phase.DECISION))
rules.add_perm("strategy.approve_edition", is_strategy_group & _in_phase(Phase.APPROVAL))
rules.add_perm("strategy.publish_edition", is_smartcity_team & _in_phase(Phase.APPROVED))
rules.add_perm("strategy.follow", is_verified_citizen)
