"""Bad input, methods, conditional requests, CORS and throttling."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/ideas/?colour=red", 400),
        ("/api/v1/ideas/?theme=999", 400),
        ("/api/v1/ideas/?status=lost", 400),
        ("/api/v1/ideas/?district=nowhere", 400),
        ("/api/v1/ideas/?competition=none", 400),
        ("/api/v1/ideas/?sort=random", 400),
        ("/api/v1/ideas/?cursor=garbage", 400),
        ("/api/v1/ideas/?page_size=100000", 400),
        ("/api/v1/ideas/?page_size=0", 400),
        ("/api/v1/ideas/?page_size=ten", 400),
        ("/api/v1/ideas/?search=" + "x" * 300, 400),
        ("/api/v1/ideas/geojson/?bbox=1,2,3", 400),
        ("/api/v1/ideas/geojson/?bbox=a,b,c,d", 400),
        ("/api/v1/ideas/geojson/?bbox=10,10,5,5", 400),
        ("/api/v1/ideas/geojson/?page_size=1001", 400),
        ("/api/v1/ideas/1/?cursor=abc", 400),
        ("/api/v1/ideas/99999999/", 404),
        ("/api/v1/ideas/abc/", 404),
        ("/api/v1/pilots/?status=draft&district=x", 400),
        ("/api/v1/pilots/nope/", 404),
        ("/api/v1/nothing/", 404),
        ("/api/v2/ideas/", 404),
    ],
)
def test_bad_input_is_a_json_4xx(api, world, url, status):
    response = api.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]


def test_nul_byte_in_search_is_no_server_error(api, world):
    response = api.get("/api/v1/ideas/", {"search": "a\x00b"})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v1/ideas/", "/api/v1/ideas/1/", "/api/schema/"])
def test_writing_methods_are_refused_with_json(api, world, method, url):
    response = getattr(api, method)(url, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_head_and_options(api, world):
    head = api.head("/api/v1/ideas/")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"]
    options = api.options("/api/v1/ideas/")
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS"


def test_cors_for_reading(api, world):
    response = api.get("/api/v1/ideas/", HTTP_ORIGIN="https://opendata.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = api.options(
        "/api/v1/ideas/", HTTP_ORIGIN="https://opendata.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_no_cors_outside_the_api(client, db):
    assert "Access-Control-Allow-Origin" not in client.get("/healthz")


def test_etag_gives_304_until_the_data_changes(api, world):
    first = api.get("/api/v1/ideas/")
    etag = first["ETag"]
    again = api.get("/api/v1/ideas/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    idea = world["public_idea"]
    idea.title = "Neue Sitzbänke"
    idea.save()
    changed = api.get("/api/v1/ideas/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_last_modified_gives_304_and_notices_a_hidden_idea(api, world):
    first = api.get("/api/v1/ideas/")
    since = first["Last-Modified"]
    assert api.get("/api/v1/ideas/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    # Hiding an idea changes no timestamp of the others: the list still changed.
    world["public_idea"].__class__.objects.filter(pk=world["public_idea"].pk).update(hidden=True)
    assert api.get("/api/v1/ideas/", HTTP_IF_MODIFIED_SINCE=since).status_code == 200


def test_language_is_part_of_the_representation(api, world):
    german = api.get("/api/v1/workgroups/")
    english = api.get("/api/v1/workgroups/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=german["ETag"])
    assert english.status_code == 200
    assert "Accept-Language" in german["Vary"]


def test_anonymous_clients_are_throttled(api, world, settings):
    settings.API_THROTTLE_RATE = "3/min"
    statuses = [api.get("/api/v1/news/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/news/")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
