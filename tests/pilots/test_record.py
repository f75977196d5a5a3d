"""The pilot's record: one field list (PilotForm.Meta.fields), each rule stated once."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from pilots import services
from pilots.forms import PilotForm
from pilots.models import Pilot
from tests.ideas.factories import IdeaFactory
from workgroups.models import WorkingGroup

from .factories import PilotFactory, group

pytestmark = pytest.mark.django_db


def _post(**overrides):
    data = {
        "title": "Smarte Parkbank",
        "summary": "Bänke mit Solarstrom und WLAN.",
        "working_group": str(group("energie-umwelt").pk),
    }
    data.update(overrides)
    return data


def test_the_form_lists_the_record_and_nothing_the_lifecycle_writes():
    fields = set(PilotForm.Meta.fields)
    assert not fields & {"status", "plenary_rank", "council_date", "council_resolution", "slug"}
    # Everything a person edits is in the form, so pilot_edit copies exactly the form's columns.
    record = {name.removesuffix("_id") for name in Pilot.record_fields()}
    assert record == fields - {"source_ideas", "districts", "strategy_measures"}  # the M2M fields


def test_edit_form_shows_idea_numbers_and_links_as_text(client, group_moderator):
    ideas = [IdeaFactory(), IdeaFactory()]
    pilot = PilotFactory(
        status="draft", ideas=ideas, links=[{"title": "Beschluss", "url": "https://gera.de/ds.pdf"}]
    )
    client.force_login(group_moderator)
    form = client.get(reverse("pilots:edit", args=[pilot.slug])).context["form"]
    assert form["source_ideas"].value() == f"{ideas[0].pk}, {ideas[1].pk}"
    assert form["links"].value() == "Beschluss | https://gera.de/ds.pdf"


def test_moderator_edits_the_record_and_the_status_stays(client, group_moderator):
    pilot = PilotFactory(status="proposed")
    client.force_login(group_moderator)
    response = client.post(
        reverse("pilots:edit", args=[pilot.slug]),
        _post(
            title="Neue Bank", links="Plan | https://gera.de/plan.pdf", latitude="50.88", longitude="12.08"
        ),
    )
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.title, pilot.status, pilot.slug) == ("Neue Bank", "proposed", pilot.slug)
    assert pilot.links == [{"title": "Plan", "url": "https://gera.de/plan.pdf"}]
    assert pilot.is_located


def test_an_edit_begun_before_a_status_change_does_not_undo_it(team_member):
    pilot = PilotFactory(status="proposed")
    form = PilotForm(_post(title="Neuer Titel"), groups=WorkingGroup.objects.all(), instance=copy.copy(pilot))
    assert form.is_valid(), form.errors
    services.pilot_record_plenary_result(pilot=pilot, by=team_member, rank=2, note="180 Ja")
    services.pilot_edit(pilot=form.instance, by=team_member, source_ideas=[], districts=[])
    pilot.refresh_from_db()
    assert (pilot.title, pilot.status, pilot.plenary_rank) == ("Neuer Titel", "prioritised", 2)


def test_moderator_cannot_move_a_pilot_to_a_group_they_do_not_moderate(client, group_moderator):
    pilot = PilotFactory(status="draft")
    client.force_login(group_moderator)
    response = client.post(
        reverse("pilots:edit", args=[pilot.slug]), _post(working_group=str(group("wirtschaft").pk))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["working_group"]
    assert Pilot.objects.get(pk=pilot.pk).working_group == group("energie-umwelt")


def test_actual_end_without_a_start_is_shown_on_the_start(client, group_moderator):
    client.force_login(group_moderator)
    response = client.post(reverse("pilots:create"), _post(actual_end="2021-03-01"))
    assert response.context["form"].errors["actual_start"]
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(("given", "missing"), [("latitude", "longitude"), ("longitude", "latitude")])
def test_half_a_place_is_refused_on_the_missing_coordinate(client, group_moderator, given, missing):
    client.force_login(group_moderator)
    response = client.post(reverse("pilots:create"), _post(**{given: "50.88"}))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()[missing]] == ["half_location"]
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("latitude", "90.5"), ("longitude", "-180.1")])
def test_coordinates_out_of_range_are_refused(client, group_moderator, field, value):
    client.force_login(group_moderator)
    other = "longitude" if field == "latitude" else "latitude"
    response = client.post(reverse("pilots:create"), _post(**{field: value, other: "12"}))
    assert response.context["form"].errors[field]
    assert not Pilot.objects.exists()


def test_the_service_refuses_dates_in_the_wrong_order_without_a_form(group_moderator):
    pilot = Pilot(
        title="Bank",
        summary="Eine Bank.",
        working_group=group("energie-umwelt"),
        planned_start=datetime.date(2021, 6, 1),
        planned_end=datetime.date(2021, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.pilot_create(by=group_moderator, pilot=pilot)
    assert "planned_end" in error.value.message_dict
    assert not Pilot.objects.exists()


def test_the_database_refuses_dates_in_the_wrong_order():
    pilot = PilotFactory(status="draft")
    pilot.actual_start, pilot.actual_end = datetime.date(2021, 6, 1), datetime.date(2021, 3, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        pilot.save()
