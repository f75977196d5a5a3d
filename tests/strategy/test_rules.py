"""Every permission the strategy registers × every role × an edition in each phase of its cycle.

The table is keyed by permission and checked against what `geraportal/strategy/rules.py`
registers, so a new permission without a row fails `test_every_permission_has_a_row`;
`URL_PERMS` says which permission each URL of the strategy's two URLconfs (public and staff)
asks, so a new view without a rule fails `test_every_url_names_its_permission`, and
`test_views_ask_their_permission` checks that each view really asks it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rules.permissions import permissions

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from geraportal.strategy import public_urls, urls
from geraportal.strategy.models import Phase, Section, StrategyEdition, Suggestion
from geraportal.strategy.rules import GroupReview
from tests.accounts.factories import UserFactory, give_mfa
from workgroups.models import Membership, WorkingGroup

from .conftest import set_phase

ROLES = [
    "anonymous",
    "citizen",
    "wg_member",
    "wg_moderator",
    "other_moderator",
    "team",
    "team_no_2fa",
    "strategy",
]
LOGGED_IN = set(ROLES) - {"anonymous"}
PHASES = list(Phase)


def only(allowed: set[str]):
    return lambda role, phase: role in allowed


def when(phases: set[Phase], allowed: set[str]):
    return lambda role, phase: phase in phases and role in allowed


EDITABLE = {Phase.DRAFT, Phase.CONSULTATION, Phase.REVIEW, Phase.DECISION}

# permission: (kind of object, expected(role, phase) -> bool)
TABLE = {
    "strategy": (None, only({"team"})),
    "strategy.manage": (None, only({"team"})),
    "strategy.add_strategyedition": (None, only({"team"})),
    "strategy.add_strategymeasure": (None, only({"team"})),
    "strategy.view_strategyreminder": (None, only({"team"})),
    # A draft is the team's and the strategy group's; from the consultation on, everyone's.
    "strategy.view_edition": (
        "edition",
        lambda role, phase: phase != Phase.DRAFT or role in {"team", "strategy"},
    ),
    # The PDF is the published strategy; before, only those who prepare it may read it.
    "strategy.download_edition": (
        "edition",
        lambda role, phase: phase == Phase.PUBLISHED or role in {"team", "strategy"},
    ),
    "strategy.change_edition": ("edition", when(EDITABLE, {"team"})),
    "strategy.generate_pdf": ("edition", only({"team"})),
    "strategy.suggest": ("edition", when({Phase.CONSULTATION}, LOGGED_IN)),
    # The group's members see its review; another group's moderator does not.
    "strategy.view_review": (
        "review",
        when({Phase.REVIEW, Phase.DECISION, Phase.APPROVAL}, {"wg_member", "wg_moderator", "team"}),
    ),
    "strategy.recommend": ("suggestion", when({Phase.REVIEW}, {"wg_moderator"})),
    # Spam and abuse are hidden in any phase: by the team, or the moderators of the section's group.
    "strategy.moderate_suggestion": ("suggestion", only({"team", "wg_moderator"})),
    "strategy.decide_suggestion": ("edition", when({Phase.DECISION}, {"team"})),
    "strategy.approve_edition": ("edition", when({Phase.APPROVAL}, {"strategy"})),
    "strategy.publish_edition": ("edition", when({Phase.APPROVED}, {"team"})),
    "strategy.follow": (None, only(LOGGED_IN)),
}
for _model in ("strategyedition", "suggestion", "strategymeasure"):
    TABLE[f"strategy.view_{_model}"] = (None, only({"team"}))
    TABLE[f"strategy.change_{_model}"] = (None, only({"team"}))


def _registered() -> set[str]:
    return {name for name in permissions if name == "strategy" or name.startswith("strategy.")}


def test_every_permission_has_a_row():
    assert _registered() - set(TABLE) == set(), "new permissions need a row in the table"
    assert set(TABLE) - _registered() == set(), "rows for permissions that no longer exist"


@pytest.fixture
def world(db):
    wirtschaft = WorkingGroup.objects.get(slug="wirtschaft")
    team = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(team)
    strategy = UserFactory(roles=[STRATEGY_GROUP])
    give_mfa(strategy)
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "wg_member": UserFactory(),
        "wg_moderator": UserFactory(),
        "other_moderator": UserFactory(),
        "team": team,
        "team_no_2fa": UserFactory(is_staff=True, roles=[SMARTCITY_TEAM]),
        "strategy": strategy,
    }
    Membership.objects.create(group=wirtschaft, user=users["wg_member"], role=Membership.Role.MEMBER)
    Membership.objects.create(group=wirtschaft, user=users["wg_moderator"], role=Membership.Role.MODERATOR)
    Membership.objects.create(
        group=WorkingGroup.objects.get(slug="energie-umwelt"),
        user=users["other_moderator"],
        role=Membership.Role.MODERATOR,
    )
    editions, reviews, suggestions = {}, {}, {}
    for number, phase in enumerate(PHASES):
        edition = StrategyEdition.objects.create(year=2030 + number, title=f"E{number}", summary="…")
        set_phase(edition, phase)
        section = Section.objects.create(
            edition=edition, key="wirtschaft", theme="wirtschaft", title_de="Wirtschaft", body_de="Text hier."
        )
        editions[phase] = edition
        reviews[phase] = GroupReview(edition=edition, theme="wirtschaft")
        suggestions[phase] = Suggestion.objects.create(
            edition=edition,
            section=section,
            author=users["citizen"],
            kind="change",
            quote="Text",
            text="Weil.",
        )
    return {"users": users, "edition": editions, "review": reviews, "suggestion": suggestions}


@pytest.mark.django_db
@pytest.mark.parametrize("perm", sorted(TABLE))
def test_permission_table(world, perm):
    kind, expected = TABLE[perm]
    mismatches = []
    for phase in PHASES if kind else [None]:
        obj = world[kind][phase] if kind else None
        for role in ROLES:
            user = world["users"][role]
            user = type(user).objects.get(pk=user.pk) if user else AnonymousUser()
            got = user.has_perm(perm, obj)
            want = expected(role, phase)
            if got != want:
                mismatches.append(f"{role:<15} {phase or '-':<13} got {got}, want {want}")
    assert not mismatches, f"{perm}:\n" + "\n".join(mismatches)


# --- URLs --------------------------------------------------------------------------------

PUBLIC = None

URL_PERMS = {
    "strategy_public:index": PUBLIC,  # published editions only; a running update if visible
    "strategy_public:compare": PUBLIC,  # only editions the reader may see are offered
    "strategy_public:measure": PUBLIC,  # the pilots apply their own visibility
    "strategy_public:edition": "strategy.view_edition",
    "strategy_public:section_history": "strategy.view_edition",
    "strategy_public:suggest": "strategy.suggest",
    "strategy_public:review": "strategy.view_review",
    "strategy_public:recommend": "strategy.recommend",
    "strategy_public:moderate": "strategy.moderate_suggestion",
    "strategy_public:follow": "strategy.follow",
    # Checks strategy.download_edition, but answers 404 without a file too: its 404/200 per
    # phase is tested with a file in tests/core/test_protected_media.py.
    "strategy_public:pdf": PUBLIC,
    "strategy:staff": "strategy.manage",
    "strategy:edition": "strategy.manage",
    "strategy:details": "strategy.manage",
    "strategy:council": "strategy.manage",
    "strategy:dates": "strategy.change_edition",
    "strategy:advance": "strategy.change_edition",
    "strategy:section_add": "strategy.change_edition",
    "strategy:section_edit": "strategy.change_edition",
    "strategy:decide": "strategy.decide_suggestion",
    "strategy:approve": "strategy.approve_edition",
    "strategy:publish": "strategy.publish_edition",
    "strategy:pdf": "strategy.generate_pdf",
    "strategy:pdf_status": "strategy.generate_pdf",
}

# permission: (a role without it, a role with it, the phase of the edition the URL is about)
WHO = {
    "strategy.view_edition": ("citizen", "team", Phase.DRAFT),
    "strategy.suggest": ("anonymous", "citizen", Phase.CONSULTATION),
    "strategy.view_review": ("citizen", "wg_member", Phase.REVIEW),
    "strategy.recommend": ("wg_member", "wg_moderator", Phase.REVIEW),
    "strategy.moderate_suggestion": ("other_moderator", "wg_moderator", Phase.CONSULTATION),
    "strategy.follow": ("anonymous", "citizen", Phase.PUBLISHED),
    "strategy.manage": ("strategy", "team", Phase.DRAFT),
    "strategy.change_edition": ("citizen", "team", Phase.DRAFT),
    "strategy.decide_suggestion": ("citizen", "team", Phase.DECISION),
    "strategy.approve_edition": ("team", "strategy", Phase.APPROVAL),
    "strategy.publish_edition": ("strategy", "team", Phase.APPROVED),
    "strategy.generate_pdf": ("citizen", "team", Phase.DRAFT),
}
POSTS = {
    "strategy_public:recommend",
    "strategy_public:moderate",
    "strategy_public:follow",
    "strategy:details",
    "strategy:council",
    "strategy:dates",
    "strategy:advance",
    "strategy:decide",
    "strategy:publish",
    "strategy:pdf",
}


def test_every_url_names_its_permission():
    names = {f"strategy_public:{p.name}" for p in public_urls.urlpatterns} | {
        f"strategy:{p.name}" for p in urls.urlpatterns
    }
    assert names - set(URL_PERMS) == set(), "new URLs need a permission (or PUBLIC) here"
    assert set(URL_PERMS) - names == set(), "entries for URLs that no longer exist"
    assert {perm for perm in URL_PERMS.values() if perm} <= set(TABLE)
    assert {perm for perm in URL_PERMS.values() if perm} <= set(WHO)


def _url(name: str, world: dict, phase: Phase) -> str:
    edition = world["edition"][phase]
    kwargs = {
        "strategy_public:edition": {"year": edition.year},
        "strategy_public:section_history": {"year": edition.year, "key": "wirtschaft"},
        "strategy_public:suggest": {"year": edition.year, "key": "wirtschaft"},
        "strategy_public:review": {"year": edition.year, "theme": "wirtschaft"},
        "strategy_public:recommend": {"year": edition.year, "pk": world["suggestion"][phase].pk},
        "strategy_public:moderate": {"year": edition.year, "pk": world["suggestion"][phase].pk},
        "strategy:section_edit": {"year": edition.year, "key": "wirtschaft"},
        "strategy:decide": {"year": edition.year, "pk": world["suggestion"][phase].pk},
    }.get(name)
    if kwargs is None:
        kwargs = {} if name in ("strategy:staff", "strategy_public:follow") else {"year": edition.year}
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, perm in URL_PERMS.items() if perm))
def test_views_ask_their_permission(client, world, name):
    """Someone without the right is refused (login, 403 or 404); someone with it gets past the check."""
    refused, allowed, phase = WHO[URL_PERMS[name]]
    method = client.post if name in POSTS else client.get
    url = _url(name, world, phase)

    if world["users"][refused] is not None:
        client.force_login(world["users"][refused])
    response = method(url)
    assert response.status_code in (302, 403, 404), f"{refused} got {response.status_code}"
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]

    client.force_login(world["users"][allowed])
    response = method(url)
    assert response.status_code not in (403, 404, 500), f"{allowed} got {response.status_code}"
    assert "/accounts/login/" not in response.get("Location", "")


@pytest.mark.django_db
def test_public_pages_answer_everyone(client, world):
    for name in ("strategy_public:index", "strategy_public:compare"):
        assert client.get(reverse(name)).status_code == 200
