"""Every page of the back-office (`staff:*`) × every staff role: who gets in, who is refused.

`URL_PERMS` names the permission each staff URL asks; a new staff view without a row fails
`test_every_staff_url_has_a_row`. The matrix requests every URL as every role: anonymous
visitors are sent to log in, people without the right get 403, those with it get the page.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import get_resolver, reverse
from django.utils import timezone

from api.webhooks.models import Endpoint
from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from geraportal.districts.models import District
from geraportal.pages.models import Event
from ideas.models import Competition
from pilots.models import Organisation
from plenary.models import Meeting, Poll
from tests.accounts.factories import UserFactory, give_mfa
from tests.ideas.factories import IdeaFactory

ROLES = ["anonymous", "citizen", "moderator", "team", "team_no_2fa", "strategy", "admin"]
TEAM = {"team", "admin"}  # an administrator (superuser with 2FA) may everything the team may
ADMIN = {"admin"}
STAFF = {"team", "strategy", "admin"}

# URL name: (permission, who has it)
URL_PERMS = {
    "home": ("pages.use_staff_area", STAFF),
    "news_list": ("pages.change_newspost", TEAM),
    "news_create": ("pages.add_newspost", TEAM),
    "news_edit": ("pages.change_newspost", TEAM),
    "news_publish": ("pages.change_newspost", TEAM),
    "news_unpublish": ("pages.change_newspost", TEAM),
    "accessibility_feedback_list": ("pages.view_accessibilityfeedback", TEAM),
    "event_list": ("pages.change_event", TEAM),
    "event_create": ("pages.add_event", TEAM),
    "event_edit": ("pages.change_event", TEAM),
    "event_delete": ("pages.delete_event", TEAM),
    "newsletter_list": ("newsletter.send_newsletter", TEAM),
    "newsletter_create": ("newsletter.send_newsletter", TEAM),
    "newsletter_subscribers": ("newsletter.view_newslettersubscriber", TEAM),
    "newsletter_bounce": ("newsletter.view_newslettersubscriber", TEAM),
    "newsletter_detail": ("newsletter.send_newsletter", TEAM),
    "newsletter_edit": ("newsletter.send_newsletter", TEAM),
    "newsletter_test": ("newsletter.send_newsletter", TEAM),
    "newsletter_send": ("newsletter.send_newsletter", TEAM),
    "newsletter_progress": ("newsletter.send_newsletter", TEAM),
    "roles": ("accounts.change_roles", ADMIN),
    "role_add": ("accounts.change_roles", ADMIN),
    "role_remove": ("accounts.change_roles", ADMIN),
    "audit_log": ("core.view_staffaction", ADMIN),
    "audit_log_csv": ("core.view_staffaction", ADMIN),
    "district_list": ("districts.change_district", TEAM),
    "district_create": ("districts.add_district", TEAM),
    "district_edit": ("districts.change_district", TEAM),
    "workgroup_list": ("workgroups.change_workinggroup", TEAM),
    "workgroup_texts": ("workgroups.change_workinggroup", TEAM),
    "competition_list": ("ideas.change_competition", TEAM),
    "competition_create": ("ideas.add_competition", TEAM),
    "competition_edit": ("ideas.change_competition", TEAM),
    "competition_ranking": ("ideas.publish_ranking", TEAM),
    "contribution_create": ("ideas.enter_on_behalf", TEAM),
    "comment_on_behalf": ("ideas.enter_on_behalf", TEAM),
    "contribution_stats": ("ideas.enter_on_behalf", TEAM),
    "organisation_list": ("pilots.change_organisation", TEAM),
    "organisation_create": ("pilots.add_organisation", TEAM),
    "organisation_edit": ("pilots.change_organisation", TEAM),
    "plenary_list": ("plenary.manage", TEAM),
    "plenary_meeting_create": ("plenary.manage", TEAM),
    "plenary_meeting_edit": ("plenary.manage", TEAM),
    "plenary_poll_create": ("plenary.manage", TEAM),
    "plenary_poll_edit": ("plenary.manage", TEAM),
    "dashboard": ("dashboard.view_dashboard", TEAM),
    "dashboard_csv": ("dashboard.view_dashboard", TEAM),
    "webhook_list": ("webhooks.manage", TEAM),
    "webhook_create": ("webhooks.manage", TEAM),
    "webhook_detail": ("webhooks.manage", TEAM),
    "webhook_edit": ("webhooks.manage", TEAM),
    "webhook_delete": ("webhooks.manage", TEAM),
    "webhook_rotate": ("webhooks.manage", TEAM),
    "webhook_test": ("webhooks.manage", TEAM),
    "webhook_enable": ("webhooks.manage", TEAM),
}
# Pages that only act (POST) or need objects this table does not build: their permission is
# checked in the table of permissions below, and the newsletter's pages in tests/newsletter.
NOT_REQUESTED = {n for n in URL_PERMS if n.startswith("newsletter_") or n.startswith("news_")} | {
    "news_list",
    "event_delete",
    "role_remove",
    "webhook_test",  # act and redirect: tests/webhooks/test_views.py requests them as every role
    "webhook_enable",
}
POSTS = {"role_add", "webhook_rotate"}


def _staff_names() -> set[str]:
    return {key.split(":", 1)[1] for key in _namespaced_names() if key.startswith("staff:")}


def _namespaced_names() -> set[str]:
    names = set()
    for namespace, (_prefix, sub) in get_resolver().namespace_dict.items():
        for name in sub.reverse_dict:
            if isinstance(name, str):
                names.add(f"{namespace}:{name}")
    return names


def test_every_staff_url_has_a_row():
    names = _staff_names()
    assert names - set(URL_PERMS) == set(), "new staff URLs need a row here"
    assert set(URL_PERMS) - names == set(), "rows for staff URLs that no longer exist"


@pytest.fixture
def people(db):
    team = UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])
    give_mfa(team)
    strategy = UserFactory(roles=[STRATEGY_GROUP])
    give_mfa(strategy)
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin)
    moderator = UserFactory()
    from workgroups.models import Membership, WorkingGroup

    Membership.objects.create(
        group=WorkingGroup.objects.get(slug="energie-umwelt"), user=moderator, role=Membership.Role.MODERATOR
    )
    return {
        "anonymous": None,
        "citizen": UserFactory(),
        "moderator": moderator,
        "team": team,
        "team_no_2fa": UserFactory(is_staff=True, roles=[SMARTCITY_TEAM]),
        "strategy": strategy,
        "admin": admin,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URL_PERMS))
def test_permission_table(people, name):
    perm, allowed = URL_PERMS[name]
    wrong = []
    for role in ROLES:
        user = people[role]
        user = type(user).objects.get(pk=user.pk) if user else AnonymousUser()
        if user.has_perm(perm) != (role in allowed):
            wrong.append(role)
    assert wrong == [], f"{perm}: wrong for {wrong}"


@pytest.fixture
def objects(db):
    now = timezone.now()
    competition = Competition.objects.create(
        title="Wettbewerb", slug="wb", description="…", submission_start=now - timedelta(days=20),
        submission_end=now - timedelta(days=10), results_at=now + timedelta(days=10),
    )  # fmt: skip
    meeting = Meeting.objects.create(
        title="Plenum", slug="plenum", starts_at=now + timedelta(days=3), place="Rathaus"
    )
    poll = Poll.objects.create(
        meeting=meeting, title="P", method="yes_no", eligibility="citizens", secret=False
    )
    webhook = Endpoint.objects.create(
        url="https://daten.gera.de/hooks", events=["idea.published"], secret="s"
    )
    event = Event.objects.create(
        title="Workshop", starts_at=now, ends_at=now + timedelta(hours=2), location="Rathaus"
    )
    return {
        "competition_edit": {"pk": competition.pk},
        "competition_ranking": {"pk": competition.pk},
        "comment_on_behalf": {"pk": IdeaFactory().pk},
        "district_edit": {"pk": District.objects.create(name="Zwötzen-Test", slug="zwoetzen-test").pk},
        "organisation_edit": {"pk": Organisation.objects.create(name="Stadtwerke").pk},
        "plenary_meeting_edit": {"pk": meeting.pk},
        "plenary_poll_edit": {"pk": poll.pk},
        "workgroup_texts": {"slug": "energie-umwelt"},
        "event_edit": {"pk": event.pk},
        "role_add": {"key": "team"},
        "dashboard_csv": {"key": "polls"},
        **{
            name: {"pk": webhook.pk}
            for name in URL_PERMS
            if name.startswith("webhook_") and name not in ("webhook_list", "webhook_create")
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(URL_PERMS) - NOT_REQUESTED))
def test_views_ask_their_permission(client, people, objects, name):
    _perm, allowed = URL_PERMS[name]
    url = reverse(f"staff:{name}", kwargs=objects.get(name, {}))
    method = client.post if name in POSTS else client.get
    for role in ROLES:
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        response = method(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], role
        elif role == "team_no_2fa":
            assert (
                response.status_code == 302 and "/2fa/" in response["Location"] or response.status_code == 403
            )
        elif role in allowed:
            assert response.status_code == 200, f"{role} got {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} got {response.status_code}"
