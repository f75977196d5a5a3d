"""Each event kind goes out once, with what the public API shows, and nothing private."""

import json

import pytest
from django.utils import timezone

from api.webhooks import events, services
from api.webhooks.models import Delivery
from geraportal.strategy import services as strategy_services
from geraportal.strategy.models import StrategyEdition
from pilots import services as pilot_services
from pilots.models import Pilot
from tests.api.conftest import SECRET, world  # noqa: F401 - the API's public/private records
from tests.notifications.delivery import fan_out_events
from tests.pilots.factories import PilotFactory, StatusChangeFactory

from .conftest import make_endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def delivered(receiver) -> list[dict]:
    for pk in Delivery.objects.values_list("pk", flat=True):
        services.delivery_send(delivery_id=pk)
    return [json.loads(r.body) for r in receiver.requests]


def test_a_pilot_status_change_goes_out(receiver, team_member):
    make_endpoint(receiver.url, events=[events.PILOT_STATUS_CHANGED])
    pilot = PilotFactory(title="Mobilitätsinsel", status=Pilot.Status.APPROVED)
    pilot_services.pilot_start_tendering(pilot=pilot, by=team_member, note="Ausschreibung läuft")
    fan_out_events()
    [payload] = delivered(receiver)
    assert payload["event"] == "pilot.status_changed"
    assert payload["data"]["pilot"]["slug"] == pilot.slug
    assert payload["data"]["pilot"]["status"] == "tendering"
    assert payload["data"]["status_change"]["from_status"] == "approved"
    assert payload["data"]["status_change"]["note"] == "Ausschreibung läuft"
    assert team_member.email not in json.dumps(payload)


def test_a_pilot_with_idea_authors_goes_out_once(receiver, team_member):
    """The pilot tells authors and followers in two events with one key: one delivery."""
    from tests.ideas.factories import IdeaFactory

    make_endpoint(receiver.url, events=[events.PILOT_STATUS_CHANGED])
    pilot = PilotFactory(status=Pilot.Status.APPROVED, ideas=[IdeaFactory(), IdeaFactory()])
    pilot_services.pilot_start_tendering(pilot=pilot, by=team_member, note="")
    fan_out_events()
    assert Delivery.objects.count() == 1


def test_a_progress_update_goes_out(receiver, team_member):
    make_endpoint(receiver.url, events=[events.PILOT_UPDATE_PUBLISHED])
    pilot = PilotFactory(status=Pilot.Status.IMPLEMENTATION)
    pilot_services.progress_update_create(pilot=pilot, by=team_member, title="Montiert", body="Alles hängt.")
    fan_out_events()
    [payload] = delivered(receiver)
    assert payload["event"] == "pilot.update_published"
    assert payload["data"]["update"]["title"] == "Montiert"
    assert payload["data"]["pilot"]["slug"] == pilot.slug
    assert payload["url"].startswith("https://beteiligung.gera.de/pilots/")


def test_a_draft_pilot_never_goes_out(receiver, team_member):
    make_endpoint(receiver.url)
    draft = PilotFactory(title=f"Entwurf {SECRET}", status=Pilot.Status.DRAFT)
    pilot_services.progress_update_create(pilot=draft, by=team_member, title="Intern", body="…")
    change = StatusChangeFactory(pilot=draft, from_status="", to_status="draft")
    fan_out_events()
    assert not Delivery.objects.exists()
    assert events.build(f"pilots.status:{change.pk}", timezone.now()) is None


def test_a_published_poll_result_goes_out_without_voters(receiver, world):  # noqa: F811
    make_endpoint(receiver.url, events=[events.POLL_RESULT_PUBLISHED])
    fan_out_events()
    [payload] = delivered(receiver)
    assert payload["event"] == "poll.result_published"
    poll = payload["data"]["poll"]
    assert poll["id"] == world["published_poll"].pk
    assert poll["result"]["ballots"] == 3 and poll["ballot_hash"]
    body = receiver.requests[0].body.decode()
    assert SECRET not in body and "Wähler" not in body and "@" not in body


def test_nothing_private_of_the_public_apis_world_goes_out(receiver, world):  # noqa: F811
    """Every event the API's fixture records, to an endpoint that wants them all."""
    make_endpoint(receiver.url)
    fan_out_events()
    delivered(receiver)
    assert receiver.requests
    for request in receiver.requests:
        body = request.body.decode()
        assert SECRET not in body and "@" not in body
        assert str(world["open_poll"].pk) not in json.loads(body)["id"]


def test_a_strategy_edition_goes_out_when_published(receiver, team_member):
    make_endpoint(receiver.url, events=[events.STRATEGY_EDITION_PUBLISHED])
    edition = StrategyEdition.objects.create(
        year=2026, title="Fortschreibung 2026", summary="Das Update.", approved_at=timezone.now()
    )
    strategy_services.edition_publish(edition=edition, by=team_member)
    fan_out_events()
    [payload] = delivered(receiver)
    assert payload["event"] == "strategy.edition_published"
    assert payload["data"]["edition"]["year"] == 2026
    assert payload["data"]["edition"]["title"] == "Fortschreibung 2026"
