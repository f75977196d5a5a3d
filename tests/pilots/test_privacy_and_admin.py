import pytest

from geraportal.accounts import personal_data
from geraportal.accounts.services import account_delete
from pilots import services
from pilots.admin import PilotAdmin
from pilots.models import Pilot, PilotFollow, PilotUpdate

from .factories import PilotFactory

pytestmark = pytest.mark.django_db


def test_export_lists_follows_and_updates(citizen, team_member):
    pilot = PilotFactory(status="implementation", title="Mobilitätsinsel")
    services.pilot_follow(pilot=pilot, user=citizen)
    services.progress_update_create(
        pilot=pilot, by=team_member, title="Eröffnet", body="Seit heute in Betrieb."
    )
    assert personal_data.export_for(citizen)["pilots"]["follows"][0]["title"] == "Mobilitätsinsel"
    assert personal_data.export_for(team_member)["pilots"]["updates"][0]["title"] == "Eröffnet"


@pytest.mark.parametrize("delete_contributions", [False, True])
def test_deleting_an_account_removes_follows_and_keeps_staff_updates(
    citizen, team_member, delete_contributions
):
    pilot = PilotFactory(status="implementation")
    services.pilot_follow(pilot=pilot, user=citizen)
    services.progress_update_create(pilot=pilot, by=team_member, title="Eröffnet", body="In Betrieb.")
    account_delete(user=citizen, delete_contributions=delete_contributions)
    account_delete(user=team_member, delete_contributions=delete_contributions)
    assert not PilotFollow.objects.exists()
    update = PilotUpdate.objects.get()
    assert update.author.public_name in ("Gelöschte Person", "Deleted participant")


def test_admin_never_changes_the_status(rf, team_member):
    from django.contrib.admin.sites import site

    pilot = PilotFactory(status="approved")
    admin = PilotAdmin(Pilot, site)
    assert "status" in admin.readonly_fields
    request = rf.post("/admin/")
    request.user = team_member
    assert not admin.has_add_permission(request)
    assert not admin.has_delete_permission(request, pilot)
    pilot.status = "completed"
    pilot.summary = "Korrigiert"
    admin.save_model(request, pilot, form=None, change=True)
    pilot.refresh_from_db()
    assert (pilot.status, pilot.summary) == ("approved", "Korrigiert")
