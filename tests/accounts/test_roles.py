"""Roles and the rule that staff powers need two-factor authentication."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from geraportal.accounts.rules import is_smartcity_team, is_strategy_group

from .factories import UserFactory, give_mfa


@pytest.mark.django_db
def test_role_groups_exist_from_the_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {SMARTCITY_TEAM, STRATEGY_GROUP}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "team", "strategy"),
    [
        ("anonymous", False, False),
        ("citizen", False, False),
        ("team_member_without_mfa", False, False),
        ("team_member", True, False),
        ("strategy_member", False, True),
    ],
)
def test_role_predicates(request, who, team, strategy):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert is_smartcity_team(user) is team
    assert is_strategy_group(user) is strategy


@pytest.mark.django_db
def test_team_member_without_mfa_has_no_staff_permission_even_via_django_groups(team_member_without_mfa):
    from django.contrib.auth.models import Permission

    Group.objects.get(name=SMARTCITY_TEAM).permissions.add(Permission.objects.get(codename="change_district"))
    assert not team_member_without_mfa.has_perm("districts.change_district")
    give_mfa(team_member_without_mfa)
    assert team_member_without_mfa.has_perm("districts.change_district")


@pytest.mark.django_db
def test_superuser_without_mfa_has_no_permissions():
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert not admin.has_perm("accounts.change_user")
    give_mfa(admin)
    assert admin.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_staff_without_mfa_is_sent_to_set_it_up_before_the_admin(client, team_member_without_mfa):
    client.force_login(team_member_without_mfa)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before 2FA is set up; the reason is shown there.
    page = client.get(response["Location"], follow=True)
    assert "ist die Zwei-Faktor-Authentifizierung nötig" in page.text


@pytest.mark.django_db
def test_staff_with_mfa_reaches_the_admin(client, team_member):
    client.force_login(team_member)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Bezirke" in response.text or "Stadtteile" in response.text


@pytest.mark.django_db
def test_citizen_is_kept_out_of_the_admin(client, citizen):
    client.force_login(citizen)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.text


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_portal_login_for_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


@pytest.mark.django_db
def test_citizens_may_set_up_two_factor_authentication(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.text
