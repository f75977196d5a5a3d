"""Nothing private, hidden, unpublished or scheduled; no e-mail address, no voter."""

import pytest

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def every_answer(api, world) -> str:
    """The text of every list page and every detail the API offers for the world's records."""
    poll_ids = [world["open_poll"].pk, world["published_poll"].pk]
    urls = [
        "/api/v1/ideas/",
        "/api/v1/ideas/geojson/",
        f"/api/v1/ideas/{world['public_idea'].pk}/",
        "/api/v1/pilots/",
        "/api/v1/pilots/mobilitaetsinsel/",
        "/api/v1/pilots/mobilitaetsinsel/updates/",
        "/api/v1/workgroups/",
        "/api/v1/workgroups/energie-umwelt/",
        "/api/v1/workgroups/energie-umwelt/meetings/",
        "/api/v1/plenary/meetings/",
        "/api/v1/plenary/meetings/plenum-2026/",
        "/api/v1/plenary/polls/",
        *[f"/api/v1/plenary/polls/{pk}/" for pk in poll_ids],
        "/api/v1/competitions/",
        "/api/v1/competitions/wettbewerb/",
        "/api/v1/news/",
        "/api/v1/news/neues/",
        "/api/v1/events/",
        "/api/v1/strategy/editions/",
        "/api/v1/districts/",
        "/api/schema/",
    ]
    texts = []
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


def test_no_private_text_anywhere(api, world):
    text = every_answer(api, world)
    assert SECRET not in text  # hidden idea, comment bodies, private thread and meeting, drafts, voters
    assert "@example.org" not in text  # no e-mail address
    assert "Anna Autorin" not in text  # no names of people


def test_staff_session_sees_no_more_than_a_visitor(api, world, team_member):
    anonymous = every_answer(api, world)
    api.force_login(team_member)
    assert every_answer(api, world) == anonymous


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ideas/{hidden_idea}/",
        "/api/v1/pilots/entwurf/",
        "/api/v1/pilots/entwurf/updates/",
        "/api/v1/news/geplant/",
        "/api/v1/news/entwurf-news/",
        "/api/v1/plenary/polls/{draft_poll}/",
        "/api/v1/strategy/editions/2024/",
    ],
)
def test_private_records_are_not_found(api, world, url):
    url = url.format(hidden_idea=world["hidden_idea"].pk, draft_poll=world["draft_poll"].pk)
    response = api.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_open_poll_shows_no_partial_result_and_no_hash(api, world):
    body = api.get(f"/api/v1/plenary/polls/{world['open_poll'].pk}/").json()
    assert body["status"] == "open"
    assert body["result"] is None
    assert body["ballot_hash"] is None
    assert "approvals" not in str(body) and "ballots" not in body


def test_draft_pilot_is_not_on_the_agenda_nor_in_ideas(api, world):
    from plenary.models import AgendaItem

    AgendaItem.objects.create(
        meeting=world["plenary"], title="Entwurf", pilot=world["draft_pilot"], position=1
    )
    body = api.get("/api/v1/plenary/meetings/plenum-2026/").json()
    assert [item["pilot"] for item in body["agenda"]] == [None]
    assert "entwurf" not in api.get(f"/api/v1/ideas/{world['public_idea'].pk}/").content.decode()


def test_hidden_merge_target_is_not_named(api, world):
    from ideas.models import Idea

    idea = world["public_idea"]
    Idea.objects.filter(pk=idea.pk).update(status="merged", merged_into=world["hidden_idea"])
    assert api.get(f"/api/v1/ideas/{idea.pk}/").json()["merged_into"] is None
    listed = {row["id"]: row for row in api.get("/api/v1/ideas/").json()["results"]}
    assert listed[idea.pk]["merged_into"] is None
    from tests.ideas.factories import IdeaFactory

    target = IdeaFactory(title="Sitzbänke für die ganze Innenstadt")
    Idea.objects.filter(pk=idea.pk).update(merged_into=target)
    listed = {row["id"]: row for row in api.get("/api/v1/ideas/").json()["results"]}
    assert listed[idea.pk]["merged_into"] == target.pk


def test_the_written_out_idea_representation_is_drf_s_own(api, world, rf):
    """IdeaSerializer writes its fields out for speed: it must say exactly what the declared
    fields say (the schema is generated from them)."""
    import json

    from rest_framework import serializers as drf

    from api.serializers import IdeaSerializer
    from ideas.models import Idea
    from tests.ideas.factories import CompetitionFactory, IdeaFactory

    IdeaFactory(district=None, latitude=None, longitude=None, location_text="")
    IdeaFactory(competition=CompetitionFactory(), location_text="Markt 1")
    merged = IdeaFactory(status="merged", merged_into=world["public_idea"])
    request = rf.get("/api/v1/ideas/")
    ideas = Idea.objects.select_related("theme", "district", "competition", "merged_into").exclude(
        hidden=True
    )
    assert ideas.count() >= 4 and merged in ideas
    for idea in ideas:
        fast = IdeaSerializer(idea, context={"request": request}).data
        generic = drf.ModelSerializer.to_representation(IdeaSerializer(context={"request": request}), idea)
        assert json.dumps(fast) == json.dumps(generic)


def test_the_written_out_pilot_representation_is_drf_s_own(api, world, rf):
    """PilotSerializer writes its fields out for speed, as IdeaSerializer does: it must say
    exactly what the declared fields say (the schema is generated from them)."""
    import datetime
    import json
    from decimal import Decimal

    from rest_framework import serializers as drf

    from api.serializers import PilotSerializer
    from geraportal.districts.models import District
    from pilots.models import Organisation, Pilot
    from pilots.selectors import with_progress
    from tests.pilots.factories import MilestoneFactory, PilotFactory

    bare = PilotFactory(status="proposed", summary="")
    full = PilotFactory(
        status="implementation",
        organisation=Organisation.objects.create(name="Stadtwerke Gera", kind="municipal_company"),
        budget_planned=Decimal("125000.50"),
        funding_share=Decimal("40"),
        planned_start=datetime.date(2026, 1, 1),
        actual_start=datetime.date(2026, 2, 1),
        plenary_rank=2,
        latitude=Decimal("50.880000"),
        longitude=Decimal("12.080000"),
        location_text="Markt",
    )
    full.districts.add(*District.objects.all()[:2])
    MilestoneFactory(pilot=full, done_date=datetime.date(2026, 3, 1))
    MilestoneFactory(pilot=full)
    request = rf.get("/api/v1/pilots/")
    pilots = with_progress(Pilot.objects.public().for_list()).filter(pk__in=[bare.pk, full.pk])
    assert len(pilots) == 2
    for pilot in pilots:
        fast = PilotSerializer(pilot, context={"request": request}).data
        generic = drf.ModelSerializer.to_representation(PilotSerializer(context={"request": request}), pilot)
        assert json.dumps(fast) == json.dumps(generic)
