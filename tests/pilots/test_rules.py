"""Who may do what with pilot projects: every role × every permission × draft and public pilots.

Two tables, both checked against what the app registers, so neither can fall behind:

- PERMS: every permission `pilots/rules.py` registers (`test_every_permission_has_a_row`
  fails for a new one without a row) × every role × a draft, a public early (proposed)
  and a public later (approved) pilot → allowed or not.
- URLS: every URL of `pilots.urls` (`test_every_url_has_a_rule` fails for a new view
  without a row) × every role × a draft and a public pilot → the status code.
"""

from datetime import date

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from geraportal.accounts.roles import SMARTCITY_TEAM
from pilots.models import Milestone, PilotFollow, PilotImage, PilotUpdate
from pilots.urls import urlpatterns
from tests.accounts.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from workgroups.models import Membership

from .factories import PilotFactory, group

ROLES = [
    "anonymous",
    "citizen",
    "idea_author",  # wrote an idea the pilot grew from
    "follower",  # follows the pilot
    "member",  # of the pilot's working group
    "moderator",  # of the pilot's working group
    "other_moderator",  # of another working group
    "team",  # SMARTCity team with two-factor authentication
    "team_without_mfa",
    "strategy",  # strategy group (with two-factor authentication)
]
LOGGED_IN = set(ROLES) - {"anonymous"}
TEAM = {"team"}
GROUP_INSIDE = {"member", "moderator", "team"}  # who sees a draft
MODERATORS = {"moderator", "team"}

# --- The rules ---------------------------------------------------------------------------------
# States of the pilot the permission is asked about: "draft", "proposed" (public, still the
# group's proposal), "approved" (public, the city's). `None` for permissions without an object.
STATES = ["draft", "proposed", "approved"]


def team_only(role, state):
    return role in TEAM


def nobody_but(roles, *, public_only=False, early_only_for=frozenset()):
    """`roles` may; `early_only_for` of them only while the group still owns the proposal."""

    def rule(role, state):
        if public_only and state == "draft":
            return False
        if role in early_only_for:
            return state in ("draft", "proposed")
        return role in roles

    return rule


# permission: (object given: "pilot", "group" or None, may(role, state))
PERMS = {
    "pilots.view_pilot": ("pilot", lambda role, state: state != "draft" or role in GROUP_INSIDE),
    "pilots.add_pilot": ("group", nobody_but({"moderator", "team"})),
    "pilots.change_pilot": ("pilot", nobody_but(TEAM | {"moderator"}, early_only_for={"moderator"})),
    "pilots.follow_pilot": ("pilot", nobody_but(LOGGED_IN, public_only=True)),
    "pilots.manage_progress": ("pilot", team_only),
    "pilots.view_selection": (None, nobody_but({"team", "strategy"})),
    "pilots.propose_pilot": ("pilot", nobody_but(MODERATORS)),
    "pilots.prioritise_pilot": ("pilot", team_only),
    "pilots.select_pilot": ("pilot", nobody_but({"strategy"})),
    "pilots.decide_pilot": ("pilot", team_only),
    "pilots.tender_pilot": ("pilot", team_only),
    "pilots.implement_pilot": ("pilot", team_only),
    "pilots.complete_pilot": ("pilot", team_only),
    "pilots.cancel_pilot": ("pilot", team_only),
    # The Django admin: the team keeps organisations and corrects records.
    "pilots": (None, team_only),
    **{
        f"pilots.{action}_{model}": (None, team_only)
        for model in ("organisation", "milestone", "pilotupdate", "pilotimage")
        for action in ("view", "change")
    },
    "pilots.view_pilotstatuschange": (None, team_only),
    "pilots.add_organisation": (None, team_only),
    "pilots.delete_organisation": (None, team_only),
}

# "add_pilot" with no group means "may open the page to choose one": moderator of any group.
ADD_WITHOUT_GROUP = {"moderator", "other_moderator", "team"}


def _registered() -> set[str]:
    return {name for name in rules.permissions.permissions if name == "pilots" or name.startswith("pilots.")}


def test_every_permission_has_a_row():
    assert _registered() - set(PERMS) == set(), "new permissions need a row in PERMS"
    assert set(PERMS) - _registered() == set(), "rows for permissions that are no longer registered"


@pytest.fixture
def people(db, team_member, strategy_member):
    energy, business = group("energie-umwelt"), group("wirtschaft")
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "idea_author": UserFactory(),
        "follower": UserFactory(),
        "member": UserFactory(),
        "moderator": UserFactory(),
        "other_moderator": UserFactory(),
        "team": team_member,
        # Not the conftest's fixture: that is the same account `team_member` gives 2FA to.
        "team_without_mfa": UserFactory(is_staff=True, roles=[SMARTCITY_TEAM]),
        "strategy": strategy_member,
    }
    Membership.objects.create(group=energy, user=users["member"], role=Membership.Role.MEMBER)
    Membership.objects.create(group=energy, user=users["moderator"], role=Membership.Role.MODERATOR)
    Membership.objects.create(group=business, user=users["other_moderator"], role=Membership.Role.MODERATOR)
    return users


@pytest.fixture
def pilots(people):
    """One pilot of "Energie und Umwelt" per state, each from an idea of `idea_author`, followed."""
    made = {}
    for state in STATES:
        pilot = PilotFactory(status=state, ideas=[IdeaFactory(author=people["idea_author"])])
        if state != "draft":
            PilotFollow.objects.create(pilot=pilot, user=people["follower"])
        made[state] = pilot
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("perm", sorted(PERMS))
def test_permission_table(perm, people, pilots):
    kind, may = PERMS[perm]
    mismatches = []
    for role in ROLES:
        user = people[role]
        for state in STATES if kind else [None]:
            obj = {"pilot": pilots.get(state), "group": group("energie-umwelt"), None: None}[kind]
            want = may(role, state)
            if user.has_perm(perm, obj) != want:
                mismatches.append(f"{role:<17} {state or '-':<9} want {'allowed' if want else 'refused'}")
    assert not mismatches, f"{perm}:\n" + "\n".join(mismatches)


@pytest.mark.django_db
def test_choosing_a_group_for_a_new_pilot(people):
    for role in ROLES:
        assert people[role].has_perm("pilots.add_pilot") == (role in ADD_WITHOUT_GROUP), role


# --- Every URL ----------------------------------------------------------------------------------

LOGIN = "login"  # anonymous visitors are sent to the login page
DONE = 302  # an action that worked (or was refused with a message) redirects


def everyone(status=200):
    return lambda role, state: status


def public_read(role, state):
    """A public pilot for everyone; a draft exists only for its group and the team."""
    return 200 if state == "public" or role in GROUP_INSIDE else 404


def page(allowed: set[str], ok=200):
    """A page without a pilot: login first, then 403 without the right."""

    def rule(role, state):
        if role == "anonymous":
            return LOGIN
        return ok if role in allowed else 403

    return rule


def pilot_action(allowed_public: set[str], allowed_draft: set[str] | None = None, ok=200):
    """A draft is a 404 for whoever may not see it (anonymous too); then login, then 403."""
    allowed_draft = allowed_public if allowed_draft is None else allowed_draft

    def rule(role, state):
        if state == "draft" and role not in GROUP_INSIDE:
            return 404
        if role == "anonymous":
            return LOGIN
        return ok if role in (allowed_draft if state == "draft" else allowed_public) else 403

    return rule


# The public pilot of the URL table is an approved one: its group's moderators no longer edit it.
URLS = {
    "list": ("get", everyone()),
    "board": ("get", everyone()),
    "map": ("get", everyone()),
    "geojson": ("get", everyone()),
    "export_csv": ("get", everyone()),
    "export_json": ("get", everyone()),
    "feed_rss": ("get", everyone()),
    "feed_atom": ("get", everyone()),
    "pilot_feed_rss": ("get", lambda role, state: 200 if state == "public" else 404),
    "pilot_feed_atom": ("get", lambda role, state: 200 if state == "public" else 404),
    "detail": ("get", public_read),
    "image": ("get", public_read),
    "update_image": ("get", public_read),
    "create": ("get", page({"moderator", "other_moderator", "team"})),
    "selection": ("get", page({"team", "strategy"})),
    "edit": ("get", pilot_action(TEAM, allowed_draft=MODERATORS)),
    # draft → proposed (the group's moderators and the team), approved → tendering (the team)
    "transition": ("get", pilot_action(TEAM, allowed_draft=MODERATORS)),
    "follow": ("post", pilot_action(LOGGED_IN, allowed_draft=set(), ok=DONE)),
    "image_add": ("post", pilot_action(TEAM, allowed_draft=MODERATORS, ok=DONE)),
    "image_delete": ("post", pilot_action(TEAM, allowed_draft=MODERATORS, ok=DONE)),
    "milestone_create": ("post", pilot_action(TEAM, ok=DONE)),
    "milestone_edit": ("get", pilot_action(TEAM)),
    "milestone_delete": ("post", pilot_action(TEAM, ok=DONE)),
    "update_create": ("get", pilot_action(TEAM)),
    "update_delete": ("post", pilot_action(TEAM, ok=DONE)),
    # Link ideas found by search: whoever may edit the record.
    "ideas": ("get", pilot_action(TEAM, allowed_draft=MODERATORS)),
    # "Propose as a pilot" on an idea (of the group's theme): a draft for its moderators and the team.
    "from_idea": ("post", page(MODERATORS, ok=DONE)),
}

POST_DATA = {"milestone_create": {"title": "Sensoren montiert"}}


def test_every_url_has_a_rule():
    names = {p.name for p in urlpatterns}
    assert names - set(URLS) == set(), "new URLs need a rule in the permission matrix"
    assert set(URLS) - names == set(), "rules for URLs that no longer exist"


@pytest.fixture
def url_world(people, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    objects = {}
    for state, status in (("draft", "draft"), ("public", "approved")):
        pilot = PilotFactory(status=status, ideas=[IdeaFactory(author=people["idea_author"])])
        picture = PilotImage(pilot=pilot, alt="Die Bank")
        picture.image.save("bank.png", ContentFile(b"png"), save=False)
        picture.save()
        update = PilotUpdate(pilot=pilot, title="Montiert", body="Fertig.", body_html="<p>Fertig.</p>")
        update.image.save("montage.png", ContentFile(b"png"), save=False)
        update.image_alt = "Die Montage"
        update.save()
        milestone = Milestone.objects.create(pilot=pilot, title="Bestellt", due_date=date(2021, 5, 1))
        objects[state] = {"pilot": pilot, "image": picture, "update": update, "milestone": milestone}
    return objects


def _kwargs(name: str, objects: dict) -> dict:
    pilot = objects["pilot"]
    if name in {"list", "board", "map", "geojson", "export_csv", "export_json", "feed_rss", "feed_atom"}:
        return {}
    if name in {"create", "selection"}:
        return {}
    if name == "from_idea":
        return {"idea_pk": pilot.source_ideas.get().pk}
    kwargs = {"slug": pilot.slug}
    if name == "transition":
        kwargs["to"] = "proposed" if pilot.status == "draft" else "tendering"
    elif name in {"image", "image_delete"}:
        kwargs["pk"] = objects["image"].pk
    elif name in {"update_image", "update_delete"}:
        kwargs["pk"] = objects["update"].pk
    elif name in {"milestone_edit", "milestone_delete"}:
        kwargs["pk"] = objects["milestone"].pk
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_url_matrix(client, people, url_world, name):
    method, expected = URLS[name]
    login = reverse("account_login")
    mismatches = []
    for state in ("public", "draft"):
        url = reverse(f"pilots:{name}", kwargs=_kwargs(name, url_world[state]))
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            # Every request on the same starting state: what one role changes is rolled back.
            with transaction.atomic():
                response = getattr(client, method)(url, POST_DATA.get(name, {}))
                transaction.set_rollback(True)
            want = expected(role, state)
            got = response.status_code
            if want == LOGIN:
                got = LOGIN if got == 302 and response.url.startswith(login) else got
            elif got == 302 and response.url.startswith(login):
                got = LOGIN
            if got != want:
                mismatches.append(f"{role:<17} {state:<7} {url}: got {got}, want {want}")
    assert not mismatches, "\n".join(mismatches)
