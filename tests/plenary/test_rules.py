"""Every permission the plenary registers × every role × a poll in each of its states.

The table is keyed by permission and checked against what `plenary/rules.py` registers, so a
new permission without a row fails `test_every_permission_has_a_row`; `URL_PERMS` says which
permission each URL of `plenary.urls` asks, so a new view without a rule fails
`test_every_url_names_its_permission`, and `test_views_ask_their_permission` checks that each
view really asks it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rules.permissions import permissions

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from plenary import services
from plenary.models import Attendee
from plenary.urls import urlpatterns
from tests.accounts.factories import UserFactory, give_mfa
from workgroups.models import Membership, WorkingGroup

ROLES = ["anonymous", "citizen", "voter", "wg_member", "wg_moderator", "team", "team_no_2fa", "strategy"]
LOGGED_IN = set(ROLES) - {"anonymous"}
POLL_STATES = ["draft", "open", "closed", "published"]


def only(allowed: set[str]):
    return lambda role, state: role in allowed


def per_state(allowed_in: dict[str, set[str]]):
    return lambda role, state: role in allowed_in.get(state, set())


# permission: (kind of object, expected(role, state) -> bool)
TABLE = {
    "plenary.manage": (None, only({"team"})),
    # The officers who set a secret poll's passphrase and enter it again to count.
    "plenary.open_poll": ("poll", only({"team"})),
    "plenary.count_poll": ("poll", only({"team"})),
    "plenary.register_meeting": ("meeting", only(LOGGED_IN)),
    # A draft is the team's; from opening on, a poll is public.
    "plenary.view_poll": (
        "poll",
        per_state({"draft": {"team"}, "open": set(ROLES), "closed": set(ROLES), "published": set(ROLES)}),
    ),
    # The list of voters is frozen when the poll opens (the view then tells a closed poll apart).
    "plenary.vote_poll": (
        "poll",
        per_state({"open": {"voter"}, "closed": {"voter"}, "published": {"voter"}}),
    ),
    # Nobody sees a result while the poll is open; the team once it is closed, all once published.
    "plenary.view_result": ("poll", per_state({"closed": {"team"}, "published": set(ROLES)})),
    "plenary.download_result": ("poll", per_state({"published": set(ROLES)})),
    # The Django admin.
    "plenary": (None, only({"team"})),
}
for _model in ("meeting", "agendaitem", "attendee", "polloption", "auditentry"):
    TABLE[f"plenary.view_{_model}"] = (None, only({"team"}))
for _model in ("meeting", "agendaitem", "attendee", "poll", "polloption"):
    TABLE[f"plenary.add_{_model}"] = (None, only({"team"}))
    TABLE[f"plenary.change_{_model}"] = (None, only({"team"}))
TABLE["plenary.delete_agendaitem"] = (None, only({"team"}))
TABLE["plenary.delete_polloption"] = (None, only({"team"}))


def _registered() -> set[str]:
    return {name for name in permissions if name == "plenary" or name.startswith("plenary.")}


def test_every_permission_has_a_row():
    assert _registered() - set(TABLE) == set(), "new permissions need a row in the table"
    assert set(TABLE) - _registered() == set(), "rows for permissions that no longer exist"


@pytest.fixture
def world(meeting, make_poll):
    group = WorkingGroup.objects.get(slug="stadtentwicklung-verkehr")
    team = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(team)
    strategy = UserFactory(roles=[STRATEGY_GROUP])
    give_mfa(strategy)
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "voter": UserFactory(),
        "wg_member": UserFactory(),
        "wg_moderator": UserFactory(),
        "team": team,
        "team_no_2fa": UserFactory(is_staff=True, roles=[SMARTCITY_TEAM]),
        "strategy": strategy,
    }
    Membership.objects.create(group=group, user=users["wg_member"], role=Membership.Role.MEMBER)
    Membership.objects.create(group=group, user=users["wg_moderator"], role=Membership.Role.MODERATOR)
    attendee = Attendee.objects.create(meeting=meeting, user=users["voter"])  # eligible: attendees
    polls = {state: make_poll(secret=False) for state in POLL_STATES}
    for state in ("open", "closed", "published"):
        services.poll_open(poll=polls[state], by=team)
    for state in ("closed", "published"):
        services.poll_close(poll=polls[state], by=team)
    services.poll_publish(poll=polls["published"], by=team)
    for poll in polls.values():
        poll.refresh_from_db()
    # A secret poll sealed to a passphrase, counted and published: its list of ballot hashes.
    sealed = services.poll_set_key(poll=make_poll(secret=True), passphrase="Gera Plenum 2026 geheim", by=team)
    services.poll_open(poll=sealed, by=team)
    services.poll_close(poll=sealed, by=team)
    services.poll_count(poll=sealed, passphrase="Gera Plenum 2026 geheim", by=team)
    services.poll_publish(poll=sealed, by=team)
    return {
        "users": users,
        "poll": polls,
        "sealed_published": sealed,
        "meeting": {None: meeting},
        "attendee": attendee,
    }


STATES = {None: [None], "meeting": [None], "poll": POLL_STATES}


@pytest.mark.django_db
@pytest.mark.parametrize("perm", sorted(TABLE))
def test_permission_table(world, perm):
    kind, expected = TABLE[perm]
    mismatches = []
    for state in STATES[kind]:
        obj = world[kind][state] if kind else None
        for role in ROLES:
            user = world["users"][role]
            user = type(user).objects.get(pk=user.pk) if user else AnonymousUser()
            got = user.has_perm(perm, obj)
            want = expected(role, state)
            if got != want:
                mismatches.append(f"{role:<13} {state or '-':<10} got {got}, want {want}")
    assert not mismatches, f"{perm}:\n" + "\n".join(mismatches)


# --- URLs --------------------------------------------------------------------------------

PUBLIC = None

URL_PERMS = {
    "list": PUBLIC,  # open polls through Poll.objects.visible_to
    "meeting": PUBLIC,
    "poll": "plenary.view_poll",
    "poll_confirm": "plenary.vote_poll",
    "poll_cast": "plenary.vote_poll",
    "poll_results_csv": "plenary.download_result",
    "poll_ballots_json": "plenary.download_result",
    "poll_action": "plenary.manage",
    "poll_open_secret": "plenary.open_poll",
    "poll_count": "plenary.count_poll",
    "poll_ballot_hashes": "plenary.download_result",
    "meeting_register": "plenary.register_meeting",
    "attendee_add": "plenary.manage",
    "attendee_check_in": "plenary.manage",
}

# permission: (a role without it, a role with it, the poll state the URL is about)
WHO = {
    "plenary.view_poll": ("citizen", "team", "draft"),
    "plenary.vote_poll": ("citizen", "voter", "open"),
    "plenary.download_result": (
        "team",
        "citizen",
        None,
    ),  # refused on the closed poll, allowed on the published
    "plenary.manage": ("citizen", "team", "draft"),
    "plenary.open_poll": ("citizen", "team", "draft"),
    "plenary.count_poll": ("citizen", "team", "closed"),
    "plenary.register_meeting": ("anonymous", "citizen", None),
}
POSTS = {"poll_confirm", "poll_cast", "poll_action", "meeting_register", "attendee_add", "attendee_check_in"}


def test_every_url_names_its_permission():
    names = {p.name for p in urlpatterns}
    assert names - set(URL_PERMS) == set(), "new URLs need a permission (or PUBLIC) here"
    assert set(URL_PERMS) - names == set(), "entries for URLs that no longer exist"
    assert {perm for perm in URL_PERMS.values() if perm} <= set(TABLE)


def _url(name: str, world: dict, poll) -> str:
    slug = world["meeting"][None].slug
    kwargs = {
        "poll_action": {"pk": poll.pk, "action": "open"},
        "meeting_register": {"slug": slug},
        "attendee_add": {"slug": slug},
        "attendee_check_in": {"slug": slug, "pk": world["attendee"].pk},
    }.get(name, {"pk": poll.pk})
    return reverse(f"plenary:{name}", kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, perm in URL_PERMS.items() if perm))
def test_views_ask_their_permission(client, world, name):
    """Someone without the right is refused (login, 403 or 404); someone with it gets past the check."""
    perm = URL_PERMS[name]
    refused, allowed, state = WHO[perm]
    polls = world["poll"]
    refused_poll = polls["closed"] if perm == "plenary.download_result" else polls[state or "open"]
    allowed_poll = polls["published"] if perm == "plenary.download_result" else polls[state or "open"]
    if name == "poll_ballot_hashes":  # only a sealed poll has a list of ballot hashes
        allowed_poll = world["sealed_published"]
    method = client.post if name in POSTS else client.get

    if world["users"][refused] is not None:
        client.force_login(world["users"][refused])
    response = method(_url(name, world, refused_poll))
    assert response.status_code in (302, 403, 404), f"{refused} got {response.status_code}"
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]

    client.force_login(world["users"][allowed])
    response = method(_url(name, world, allowed_poll))
    assert response.status_code not in (403, 404), f"{allowed} got {response.status_code}"
    assert "/accounts/login/" not in response.get("Location", "")
