import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import get_user_model
from django.core.management import call_command

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP

User = get_user_model()


@pytest.mark.django_db
def test_seed_demo_creates_an_account_per_role_and_is_safe_to_run_twice(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count  # nothing twice
    roles = ["buergerin", "mitglied", "moderation", "team", "strategie", "admin"]
    assert User.objects.filter(email__in=[f"{r}@example.org" for r in roles]).count() == 6
    assert "gera-demo-2026" in first and "[1/" in first
    team = User.objects.get(email="team@example.org")
    assert team.groups.filter(name=SMARTCITY_TEAM).exists() and is_mfa_enabled(team)
    assert User.objects.get(email="strategie@example.org").groups.filter(name=STRATEGY_GROUP).exists()
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="buergerin@example.org").emailaddress_set.get().verified
