"""Each endpoint shows what the website shows a visitor."""

import pytest

pytestmark = pytest.mark.django_db


def results(api, url: str) -> list[dict]:
    response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_root_lists_every_collection(api):
    body = api.get("/api/v1/").json()
    assert {"ideas", "pilots", "workgroups", "plenary/polls", "news", "strategy/editions"} <= set(body)


def test_ideas_list_shows_public_ideas_with_counts_and_location(api, world):
    ideas = {i["title"]: i for i in results(api, "/api/v1/ideas/")}
    idea = ideas["Sitzbänke am Markt"]
    assert idea["theme"] == "energie-umwelt"
    assert idea["location"] == {"latitude": 50.88, "longitude": 12.08, "place": ""}
    assert {"supports_count", "comments_count"} <= set(idea)
    assert idea["url"].startswith("http://testserver/ideas/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=energie-umwelt", 2),
        ("theme=wirtschaft", 0),
        ("status=published", 2),
        ("status=declined", 0),
        ("competition=wettbewerb", 1),
        ("search=Sitzbänke", 1),
    ],
)
def test_ideas_filters(api, world, query, expected):
    assert len(results(api, f"/api/v1/ideas/?{query}")) == expected


def test_idea_detail_has_history_and_public_pilots(api, world):
    idea = world["public_idea"]
    body = api.get(f"/api/v1/ideas/{idea.pk}/").json()
    assert body["title"] == "Sitzbänke am Markt"
    assert [p["slug"] for p in body["pilots"]] == ["mobilitaetsinsel"]
    assert body["history"] == []


def test_geojson_has_located_ideas_only(api, world):
    response = api.get("/api/v1/ideas/geojson/?bbox=12,50,13,51")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["title"] for f in body["features"]] == ["Sitzbänke am Markt"]
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [12.08, 50.88]}
    assert api.get("/api/v1/ideas/geojson/?bbox=0,0,1,1").json()["features"] == []


def test_cursor_pagination_walks_every_idea_once(api, world):
    from tests.ideas.factories import IdeaFactory

    IdeaFactory.create_batch(7)
    seen, url = [], "/api/v1/ideas/?page_size=3"
    while url:
        body = api.get(url).json()
        seen += [i["id"] for i in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 9  # 2 public ideas + 7, the hidden one never


def test_pilot_detail_has_progress_milestones_history_ideas(api, world):
    body = api.get("/api/v1/pilots/mobilitaetsinsel/").json()
    assert body["status"] == "approved"
    assert body["progress"] == {"percent": 50, "done": 1, "total": 2}
    assert [m["title"] for m in body["milestones"]] == ["Standort gewählt", "Bau"]
    assert [c["to_status"] for c in body["status_history"]] == ["proposed"]
    assert [i["title"] for i in body["ideas"]] == ["Sitzbänke am Markt"]
    updates = api.get(body["updates"]).json()["results"]
    assert [u["title"] for u in updates] == ["Baustart"]


def test_pilots_filter_by_status(api, world):
    assert [p["slug"] for p in results(api, "/api/v1/pilots/?status=approved")] == ["mobilitaetsinsel"]


def test_workgroups_and_their_public_meetings(api, world):
    groups = results(api, "/api/v1/workgroups/")
    assert len(groups) == 5
    group = next(g for g in groups if g["slug"] == "energie-umwelt")
    meetings = api.get(group["meetings"]).json()["results"]
    assert [m["title"] for m in meetings] == ["Offenes Treffen"]


def test_english_names_with_accept_language(api, world):
    group = api.get("/api/v1/workgroups/wirtschaft/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert group["name"] == "Business"
    assert api.get("/api/v1/workgroups/wirtschaft/").json()["name"] == "Wirtschaft"


def test_published_poll_has_result_and_ballot_hash(api, world):
    poll = world["published_poll"]
    body = api.get(f"/api/v1/plenary/polls/{poll.pk}/").json()
    assert body["ballot_hash"] == poll.ballot_hash and len(poll.ballot_hash) == 64
    assert body["result"]["ballots"] == 3
    assert body["result"]["options"][0]["approvals"] == 3


def test_plenary_meeting_lists_agenda_and_public_polls(api, world):
    body = api.get("/api/v1/plenary/meetings/plenum-2026/").json()
    assert sorted(body["polls"]) == sorted([world["open_poll"].pk, world["published_poll"].pk])


def test_competition_ranking_once_results_are_published(api, world):
    body = api.get("/api/v1/competitions/wettbewerb/").json()
    assert body["phase"] == "results"
    assert [r["title"] for r in body["ranking"]] == ["Wettbewerbsidee"]


def test_competition_ranking_hidden_during_evaluation(api, world):
    from django.utils import timezone

    competition = world["competition"]
    competition.results_at = timezone.now() + timezone.timedelta(days=3)
    competition.save()
    assert api.get("/api/v1/competitions/wettbewerb/").json()["ranking"] is None


def test_news_events_strategy(api, world):
    assert [n["slug"] for n in results(api, "/api/v1/news/")] == ["neues"]
    assert "<p>" in api.get("/api/v1/news/neues/").json()["body_html"]
    assert [e["title"] for e in results(api, "/api/v1/events/")] == ["Sensor-Workshop"]
    assert [e["year"] for e in results(api, "/api/v1/strategy/editions/")] == [2022]


def test_ideas_filter_by_source_counts_contributions_from_outside_apart(api, world):
    from django.utils import timezone

    from ideas.models import Idea

    Idea.objects.filter(pk=world["public_idea"].pk).update(
        source="phone", on_behalf_of="Frau Beispiel", consent_at=timezone.now()
    )
    by_phone = results(api, "/api/v1/ideas/?source=phone")
    assert [i["id"] for i in by_phone] == [world["public_idea"].pk]
    assert by_phone[0]["source"] == "phone"
    assert "Frau Beispiel" not in str(by_phone)  # no names of people in the open data
    assert all(i["source"] == "online" for i in results(api, "/api/v1/ideas/?source=online"))
    assert api.get("/api/v1/ideas/?source=fax").status_code == 400
