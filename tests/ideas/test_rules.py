"""Every permission ideas registers × every role × the states its object can be in.

The table is keyed by permission and checked against what `ideas/rules.py` registers, so a new
permission without a row fails `test_every_permission_has_a_row`; `URL_PERMS` says which
permission each URL of `ideas.urls` asks, so a new view without a rule fails
`test_every_url_names_its_permission`, and `test_views_ask_their_permission` checks that each
view really asks it (a person without the right is refused, one with it is let in).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from rules.permissions import permissions

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from ideas.models import Idea, Report
from ideas.urls import urlpatterns
from tests.accounts.factories import UserFactory, give_mfa
from workgroups.models import Membership

from .factories import CommentFactory, CompetitionFactory, IdeaFactory, theme

ROLES = [
    "anonymous",
    "citizen",
    "author",
    "wg_member",  # member of the working group of the idea's theme
    "wg_moderator",  # moderator of that group
    "other_moderator",  # moderator of another group
    "team",
    "team_no_2fa",
    "strategy",
    "juror",
]
LOGGED_IN = set(ROLES) - {"anonymous"}
MODERATORS = {"wg_moderator", "team"}

IDEA_STATES = ["published", "hidden", "in_review", "declined", "in_competition"]
COMMENT_STATES = ["fresh", "old", "hidden"]
COMPETITION_STATES = ["submission", "evaluation", "results"]


def only(allowed: set[str]):
    return lambda role, state: role in allowed


def idea_rule(allowed_in: dict[str, set[str]]):
    """Per state, who has the right (a state left out: nobody)."""
    return lambda role, state: role in allowed_in.get(state, set())


VISIBLE = {
    "published": set(ROLES),
    "hidden": {"author", *MODERATORS},
    "in_review": set(ROLES),
    "declined": set(ROLES),
    "in_competition": set(ROLES),
}
PUBLIC_STATES = ["published", "in_review", "declined", "in_competition"]
OPEN_STATES = ["published", "in_review", "in_competition"]

# permission: (kind of object, expected(role, state) -> bool)
TABLE = {
    "ideas.view_idea": ("idea", idea_rule(VISIBLE)),
    "ideas.add_idea": (None, only(LOGGED_IN)),
    "ideas.change_idea": ("idea", idea_rule({"published": {"author"}, "in_competition": {"author"}})),
    # Everyone logged in but the author (nobody supports their own idea).
    "ideas.support_idea": ("idea", idea_rule(dict.fromkeys(OPEN_STATES, LOGGED_IN - {"author"}))),
    "ideas.comment_idea": ("idea", idea_rule(dict.fromkeys(PUBLIC_STATES, LOGGED_IN))),
    "ideas.follow_idea": ("idea", idea_rule({s: who & LOGGED_IN for s, who in VISIBLE.items()})),
    "ideas.report_idea": ("idea", idea_rule(dict.fromkeys(PUBLIC_STATES, LOGGED_IN))),
    "ideas.moderate_idea": ("idea", only(MODERATORS)),
    "ideas.view_revisions": ("idea", only(MODERATORS)),
    "ideas.view_moderation_queue": (None, only({*MODERATORS, "other_moderator"})),
    "ideas.change_comment": ("comment", idea_rule({"fresh": {"author"}})),
    "ideas.moderate_comment": ("comment", only(MODERATORS)),
    "ideas.export_ideas": (None, only({"team"})),
    "ideas.score_competition": ("competition", idea_rule({"evaluation": {"juror"}})),
    "ideas.view_competition_scores": (
        "competition",
        idea_rule({"submission": {"team"}, "evaluation": {"team"}, "results": set(ROLES)}),
    ),
    # The back-office: the team publishes rankings and enters contributions from outside.
    "ideas.publish_ranking": (None, only({"team"})),
    "ideas.enter_on_behalf": (None, only({"team"})),
    # The Django admin (developers); the team uses the back-office pages.
    "ideas": (None, only({"team"})),
}
for _action in ("view", "add", "change", "delete"):
    TABLE[f"ideas.{_action}_competition"] = ("competition", only({"team"}))
    TABLE[f"ideas.{_action}_criterion"] = (None, only({"team"}))

STATES = {None: [None], "idea": IDEA_STATES, "comment": COMMENT_STATES, "competition": COMPETITION_STATES}


def _registered() -> set[str]:
    return {name for name in permissions if name == "ideas" or name.startswith("ideas.")}


def test_every_permission_has_a_row():
    assert _registered() - set(TABLE) == set(), "new permissions need a row in the table"
    assert set(TABLE) - _registered() == set(), "rows for permissions that no longer exist"


def _competition(state: str):
    now = timezone.now()
    starts = {
        "submission": now - timedelta(days=1),
        "evaluation": now - timedelta(days=20),
        "results": now - timedelta(days=40),
    }[state]
    return CompetitionFactory(
        submission_start=starts,
        submission_end=starts + timedelta(days=10),
        results_at=starts + timedelta(days=30),
    )


@pytest.fixture
def world(db):
    energy = theme("energie-umwelt")
    team_no_2fa = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    team = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(team)
    strategy = UserFactory(roles=[STRATEGY_GROUP])
    give_mfa(strategy)
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "author": UserFactory(),
        "wg_member": UserFactory(),
        "wg_moderator": UserFactory(),
        "other_moderator": UserFactory(),
        "team": team,
        "team_no_2fa": team_no_2fa,
        "strategy": strategy,
        "juror": UserFactory(),
    }
    Membership.objects.create(group=energy, user=users["wg_member"], role=Membership.Role.MEMBER)
    Membership.objects.create(group=energy, user=users["wg_moderator"], role=Membership.Role.MODERATOR)
    Membership.objects.create(
        group=theme("wirtschaft"), user=users["other_moderator"], role=Membership.Role.MODERATOR
    )
    competitions = {state: _competition(state) for state in COMPETITION_STATES}
    for competition in competitions.values():
        competition.jury.set([users["juror"]])
    author = users["author"]
    ideas = {
        "published": IdeaFactory(author=author, theme=energy),
        "hidden": IdeaFactory(author=author, theme=energy, hidden=True, hidden_reason="Spam"),
        "in_review": IdeaFactory(author=author, theme=energy, status=Idea.Status.IN_REVIEW),
        "declined": IdeaFactory(author=author, theme=energy, status=Idea.Status.DECLINED),
        "in_competition": IdeaFactory(author=author, theme=energy, competition=competitions["evaluation"]),
    }
    long_ago = timezone.now() - timedelta(hours=1)
    comments = {
        "fresh": CommentFactory(idea=ideas["published"], author=author),
        "old": CommentFactory(idea=ideas["published"], author=author, created_at=long_ago),
        "hidden": CommentFactory(idea=ideas["published"], author=author, hidden=True, hidden_reason="Spam"),
    }
    return {"users": users, "idea": ideas, "comment": comments, "competition": competitions}


@pytest.mark.django_db
@pytest.mark.parametrize("perm", sorted(TABLE))
def test_permission_table(world, perm):
    kind, expected = TABLE[perm]
    mismatches = []
    for state in STATES[kind]:
        obj = world[kind][state] if kind else None
        for role in ROLES:
            user = world["users"][role] or AnonymousUser()
            # A fresh copy of the user per check: the rules cache roles on the user object.
            if user.is_authenticated:
                user = type(user).objects.get(pk=user.pk)
            got = user.has_perm(perm, obj)
            want = expected(role, state)
            if got != want:
                mismatches.append(f"{role:<16} {state or '-':<15} got {got}, want {want}")
    assert not mismatches, f"{perm}:\n" + "\n".join(mismatches)


# --- URLs --------------------------------------------------------------------------------

PUBLIC = None  # no permission: anyone may look (hidden ideas are filtered by the queryset)

# URL name: the permission its view asks, and the object it asks about.
URL_PERMS = {
    "list": PUBLIC,
    "map": PUBLIC,
    "geojson": PUBLIC,
    "feed_rss": PUBLIC,
    "feed_atom": PUBLIC,
    "theme_feed_rss": PUBLIC,
    "theme_feed_atom": PUBLIC,
    "competition_list": PUBLIC,
    "competition_detail": PUBLIC,
    "detail": ("ideas.view_idea", "idea"),
    "detail_short": ("ideas.view_idea", "idea"),
    "image": ("ideas.view_idea", "idea"),
    "pending_image": ("ideas.add_idea", None),  # and the signed token names its owner
    "create": ("ideas.add_idea", None),
    "export": ("ideas.export_ideas", None),
    "moderation": ("ideas.view_moderation_queue", None),
    "report_dismiss": ("ideas.moderate_idea", "report"),
    "competition_jury": ("ideas.score_competition", "competition"),
    "competition_score": ("ideas.score_competition", "competition"),
    "comment_update": ("ideas.change_comment", "comment"),
    "comment_moderate": ("ideas.moderate_comment", "comment"),
    "update": ("ideas.change_idea", "idea"),
    "support": ("ideas.support_idea", "idea"),
    "unsupport": ("ideas.support_idea", "idea"),
    "follow": ("ideas.follow_idea", "idea"),
    "comment_create": ("ideas.comment_idea", "idea"),
    "report": ("ideas.report_idea", "idea"),
    "report_comment": ("ideas.report_idea", "idea"),
    "revisions": ("ideas.view_revisions", "idea"),
    "moderate": ("ideas.moderate_idea", "idea"),
}

POSTS = {"support", "unsupport", "follow", "comment_create", "report_dismiss"}


def test_every_url_names_its_permission():
    names = {p.name for p in urlpatterns}
    assert names - set(URL_PERMS) == set(), "new URLs need a permission (or PUBLIC) here"
    assert set(URL_PERMS) - names == set(), "entries for URLs that no longer exist"
    for entry in URL_PERMS.values():
        assert entry is PUBLIC or entry[0] in TABLE


# permission: (a role without it, a role with it, the state of the idea the URL is about)
WHO = {
    "ideas.view_idea": ("citizen", "author", "hidden"),
    "ideas.add_idea": ("anonymous", "citizen", "published"),
    "ideas.export_ideas": ("citizen", "team", "published"),
    "ideas.view_moderation_queue": ("citizen", "wg_moderator", "published"),
    "ideas.moderate_idea": ("citizen", "wg_moderator", "published"),
    "ideas.score_competition": ("citizen", "juror", "published"),
    "ideas.change_comment": ("citizen", "author", "published"),
    "ideas.moderate_comment": ("citizen", "wg_moderator", "published"),
    "ideas.change_idea": ("citizen", "author", "published"),
    "ideas.support_idea": ("anonymous", "citizen", "published"),
    "ideas.follow_idea": ("anonymous", "citizen", "published"),
    "ideas.comment_idea": ("anonymous", "citizen", "published"),
    "ideas.report_idea": ("anonymous", "citizen", "published"),
    "ideas.view_revisions": ("citizen", "wg_moderator", "published"),
}


def _url(name: str, world: dict, state: str) -> str:
    idea = world["idea"][state]
    comment = world["comment"]["fresh"]
    competition = world["competition"]["evaluation"]
    kwargs = {
        "detail": {"pk": idea.pk, "slug": "x"},
        "report_dismiss": {"pk": world["report"].pk},
        "competition_jury": {"slug": competition.slug},
        "competition_score": {"slug": competition.slug, "idea_pk": world["idea"]["in_competition"].pk},
        "comment_update": {"pk": comment.pk},
        "comment_moderate": {"pk": comment.pk, "action": "hide"},
        "report_comment": {"pk": idea.pk, "comment_pk": comment.pk},
        "moderate": {"pk": idea.pk, "action": "hide"},
        "create": {},
        "export": {},
        "moderation": {},
    }.get(name, {"pk": idea.pk})
    return reverse(f"ideas:{name}", kwargs=kwargs)


# Without an image or a signed upload token these answer 404 for everyone; their permission
# is the one of the page they belong to (`image` shares the idea fetch with `detail`).
NOT_REQUESTED = {"image", "pending_image"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, entry in URL_PERMS.items() if entry is not PUBLIC and n not in NOT_REQUESTED)
)
def test_views_ask_their_permission(client, world, name):
    """Someone without the right is refused (login, 403 or 404); someone with it gets past the check."""
    world["report"] = Report.objects.create(
        idea=world["idea"]["published"], reporter=world["users"]["citizen"], reason="spam"
    )
    perm, _kind = URL_PERMS[name]
    refused, allowed, state = WHO[perm]
    url = _url(name, world, state)
    method = client.post if name in POSTS else client.get

    if world["users"][refused] is not None:
        client.force_login(world["users"][refused])
    response = method(url)
    assert response.status_code in (302, 403, 404), f"{refused} got {response.status_code}"
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]

    client.force_login(world["users"][allowed])
    response = method(url)
    # Through the permission check (an empty form may still be a 400).
    assert response.status_code not in (403, 404), f"{allowed} got {response.status_code}"
    assert "/accounts/login/" not in response.get("Location", "")
