import pytest

from tests.accounts.factories import UserFactory, give_mfa

from .factories import MeetingFactory, MembershipFactory, ThreadFactory


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["workinggroup", "joinrequest", "invitation", "thread", "meeting"])
def test_admin_pages_open(client, energy, model):
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_mfa(admin)
    MembershipFactory(group=energy)
    ThreadFactory(group=energy)
    MeetingFactory(group=energy)
    client.force_login(admin)
    assert client.get(f"/admin/workgroups/{model}/").status_code == 200
    assert client.get(f"/admin/workgroups/workinggroup/{energy.pk}/change/").status_code == 200
