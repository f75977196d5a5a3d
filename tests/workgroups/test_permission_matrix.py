"""Every URL of the app × every role × a public and a private object → the expected status.

The table is keyed by URL name and checked against `workgroups.urls.urlpatterns`, so a new
URL without a rule here fails `test_every_url_has_a_rule`.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from workgroups import services
from workgroups.filetypes import PDF
from workgroups.models import Invitation, JoinRequest
from workgroups.urls import urlpatterns

from .factories import MeetingFactory, MembershipFactory, PostFactory, ThreadFactory

ROLES = ["anonymous", "citizen", "other_member", "member", "moderator", "team"]
INSIDE = {"member", "moderator", "team"}
LOGIN = 302  # anonymous visitors are sent to the login page
DONE = 302  # an action that worked (or was refused with a message) redirects


def everyone(status=200):
    return lambda role, visibility: status


def object_read(role, visibility):
    """Public objects for all; private ones exist only for the group (and the team)."""
    if visibility == "public" or role in INSIDE:
        return 200
    return 404


def group_level(allowed: set[str], ok=200):
    def rule(role, visibility):
        if role == "anonymous":
            return LOGIN
        return ok if role in allowed else 403

    return rule


def object_action(allowed: set[str], ok=200):
    """Login first; then an invisible (private) object is a 404, a visible one without the right a 403."""

    def rule(role, visibility):
        if role == "anonymous":
            return LOGIN
        if visibility == "private" and role not in INSIDE:
            return 404
        return ok if role in allowed else 403

    return rule


MODS = {"moderator", "team"}

# name: (method, expected(role, visibility))
RULES = {
    "list": ("get", everyone()),
    "detail": ("get", everyone()),
    "calendar": ("get", everyone()),
    "invitation": ("get", everyone()),
    "thread_list": ("get", everyone()),
    "document_list": ("get", everyone()),
    "meeting_list": ("get", everyone()),
    "thread_detail": ("get", object_read),
    "document_detail": ("get", object_read),
    "document_download": ("get", object_read),
    "meeting_detail": ("get", object_read),
    "meeting_ics": ("get", object_read),
    "leave": ("post", group_level({"member", "moderator"}, ok=DONE)),
    "members": ("get", group_level(INSIDE)),
    "calendar_address": ("get", group_level(INSIDE)),
    "calendar_reset": ("post", group_level(INSIDE, ok=DONE)),
    "invite": ("get", group_level(MODS)),
    "member_role": ("post", group_level(MODS, ok=DONE)),
    "member_remove": ("post", group_level(MODS, ok=DONE)),
    "join_accept": ("post", group_level(MODS, ok=DONE)),
    "join_decline": ("post", group_level(MODS, ok=DONE)),
    "thread_create": ("get", group_level(INSIDE)),
    "document_create": ("get", group_level(INSIDE)),
    "meeting_create": ("get", group_level(MODS)),
    "post_create": ("post", object_action(INSIDE, ok=DONE)),
    "post_edit": ("get", object_action({"member"})),  # only the author (here: the member)
    "post_hide": ("get", object_action(MODS)),
    "thread_pin": ("post", object_action(MODS, ok=DONE)),
    "thread_lock": ("post", object_action(MODS, ok=DONE)),
    "thread_hide": ("get", object_action(MODS)),
    "document_replace": ("get", object_action(INSIDE)),
    "document_delete": ("get", object_action(MODS)),
    "meeting_edit": ("get", object_action(MODS)),
    "meeting_rsvp": ("post", object_action({"citizen", "other_member", *INSIDE}, ok=DONE)),
}


def _join(role, visibility):
    """Members are sent back to the group page ("you are already a member")."""
    if role == "anonymous":
        return LOGIN
    return DONE if role in {"member", "moderator"} else 200


RULES["join"] = ("get", _join)


def test_every_url_has_a_rule():
    names = {p.name for p in urlpatterns}
    assert names - set(RULES) == set(), "new URLs need a rule in the permission matrix"
    assert set(RULES) - names == set(), "rules for URLs that no longer exist"


@pytest.fixture
def world(energy, business, team_member, documents_root):
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "other_member": MembershipFactory(group=business).user,
        "member": MembershipFactory(group=energy).user,
        "moderator": MembershipFactory(group=energy, role="moderator").user,
        "team": team_member,
    }
    author = users["member"]
    objects = {}
    for visibility in ("public", "private"):
        stored = "public" if visibility == "public" else "members"
        thread = ThreadFactory(group=energy, visibility=stored, author=author)
        post = PostFactory(thread=thread, author=author)
        document = services.document_upload(
            group=energy,
            by=author,
            data=services.DocumentData(title=f"Doc {visibility}", description="", visibility=stored),
            upload=SimpleUploadedFile("a.pdf", MINIMAL_PDF),
            file_type=PDF,
        )
        meeting = MeetingFactory(group=energy, visibility=stored)
        objects[visibility] = {"thread": thread, "post": post, "document": document, "meeting": meeting}
    target = MembershipFactory(group=energy)
    join_request = JoinRequest.objects.create(
        group=energy, user=UserFactory(), motivation="Ich möchte mitmachen."
    )
    invitation = Invitation.objects.create(
        group=energy, email="neu@example.org", token="t" * 43, expires_at=timezone.now() + timedelta(days=3)
    )
    return {
        "group": energy,
        "users": users,
        "objects": objects,
        "target": target,
        "join_request": join_request,
        "invitation": invitation,
    }


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _kwargs(name: str, world: dict, visibility: str) -> dict:
    slug = world["group"].slug
    objs = world["objects"][visibility]
    if name == "list":
        return {}
    if name == "invitation":
        return {"token": world["invitation"].token}
    if name.startswith(("thread_", "post_")) and name not in {"thread_list", "thread_create"}:
        kwargs = {"slug": slug, "pk": objs["thread"].pk}
        if name in {"post_edit", "post_hide"}:
            kwargs["post_pk"] = objs["post"].pk
        return kwargs
    if name.startswith("document_") and name not in {"document_list", "document_create"}:
        kwargs = {"slug": slug, "pk": objs["document"].pk}
        if name == "document_download":
            kwargs["number"] = 1
        return kwargs
    if name.startswith("meeting_") and name not in {"meeting_list", "meeting_create"}:
        return {"slug": slug, "pk": objs["meeting"].pk}
    if name in {"member_role", "member_remove"}:
        return {"slug": slug, "pk": world["target"].pk}
    if name in {"join_accept", "join_decline"}:
        return {"slug": slug, "pk": world["join_request"].pk}
    return {"slug": slug}


POST_DATA = {
    "post_create": {"body": "Ein Beitrag"},
    "member_role": {"role": "moderator"},
    "meeting_rsvp": {"answer": "yes"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RULES))
def test_permission_matrix(client, world, name):
    method, expected = RULES[name]
    mismatches = []
    for visibility in ("public", "private"):
        url = reverse(f"workgroups:{name}", kwargs=_kwargs(name, world, visibility))
        for role in ROLES:
            user = world["users"][role]
            client.logout()
            if user is not None:
                client.force_login(user)
            # Every request on the same starting state: what one role changes is rolled back.
            with transaction.atomic():
                response = getattr(client, method)(url, POST_DATA.get(name, {}))
                transaction.set_rollback(True)
            want = expected(role, visibility)
            if response.status_code != want:
                mismatches.append(
                    f"{role:<13} {visibility:<8} {url}: got {response.status_code}, want {want}"
                )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_private_objects_404_is_the_same_as_for_missing_ones(client, world):
    client.force_login(world["users"]["citizen"])
    private = client.get(world["objects"]["private"]["thread"].get_absolute_url())
    missing = client.get(reverse("workgroups:thread_detail", kwargs={"slug": "energie-umwelt", "pk": 999999}))
    assert private.status_code == missing.status_code == 404

    # Byte for byte the same page, apart from the (per-response masked) CSRF token and the
    # address itself (the language switch returns to it).
    def page(r):
        content = r.content.replace(r.wsgi_request.path.encode(), b"PATH")
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)

    assert page(private) == page(missing)
