"""/healthz says the process is up; /readyz says whether it can serve (database, Redis, storage)."""

from django.test import override_settings


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_head_works_on_the_health_checks(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.head("/readyz").status_code == 200


def test_readyz_is_ready_when_everything_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert {name for name, result in response.json()["checks"].items() if result["ok"]} == {
        "database",
        "redis",
        "storage",
    }


def test_readyz_answers_503_while_redis_is_down_and_200_when_it_is_back(client, db, redis_server):
    with override_settings(REDIS_URL=redis_server.url):
        assert client.get("/readyz").status_code == 200
        redis_server.stop()
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}
        redis_server.start()
        assert client.get("/readyz").status_code == 200
