"""The open-data downloads: public rows only, streamed, with licence and progress."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from api import opendata

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def download(client, name: str, fmt: str) -> bytes:
    response = client.get(f"/open-data/{name}.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_page_before_the_first_run(client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    assert "Datenlizenz Deutschland – Namensnennung 2.0" in response.content.decode()
    assert client.get("/open-data/ideen.csv").status_code == 404


def test_generate_lists_every_dataset_with_licence_and_last_update(client, world):
    manifest = opendata.dumps_generate()
    assert {d["name"] for d in manifest["datasets"]} == {d.name for d in opendata.DATASETS}
    page = client.get("/open-data/").content.decode()
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in page
    assert "/open-data/ideen.geojson" in page and "/open-data/pilotprojekte.csv" in page
    assert "<time datetime=" in page


def test_dumps_hold_only_public_rows(client, world):
    opendata.dumps_generate()
    everything = b"".join(
        download(client, d["name"], fmt) for d in opendata.manifest_read()["datasets"] for fmt in d["files"]
    ).decode()
    assert SECRET not in everything and "@example.org" not in everything
    ideas = json.loads(download(client, "ideen", "json"))
    assert ideas["licence"]["name"].startswith("Datenlizenz Deutschland")
    assert sorted(r["title"] for r in ideas["rows"]) == ["Sitzbänke am Markt", "Wettbewerbsidee"]
    results = json.loads(download(client, "abstimmungsergebnisse", "json"))["rows"]
    assert {r["poll"] for r in results} == {world["published_poll"].pk}  # never the open poll


def test_geojson_has_the_located_ideas(client, world):
    opendata.dumps_generate()
    geo = json.loads(download(client, "ideen", "geojson"))
    assert geo["type"] == "FeatureCollection"
    assert [f["geometry"]["coordinates"] for f in geo["features"]] == [[12.08, 50.88]]


def test_csv_neutralises_formulas(client, db):
    from tests.ideas.factories import IdeaFactory

    IdeaFactory(title='=HYPERLINK("http://evil")')
    opendata.dumps_generate()
    text = download(client, "ideen", "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'


def test_rows_are_streamed_not_loaded(world, monkeypatch):
    """Ideas are read with a chunked iterator: never the whole table at once."""
    from django.db.models.query import QuerySet

    chunks = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunks.append((self.model.__name__, chunk_size))
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    opendata.dumps_generate()
    assert ("Idea", opendata.CHUNK_SIZE) in chunks and ("Pilot", opendata.CHUNK_SIZE) in chunks


def test_a_new_run_replaces_the_old_files(world):
    first = opendata.dumps_generate()
    second = opendata.dumps_generate()
    storage = opendata.opendata_storage()
    old = first["datasets"][0]["files"]["csv"]["name"]
    new = second["datasets"][0]["files"]["csv"]["name"]
    assert old != new and not storage.exists(old) and storage.exists(new)


def test_a_second_run_at_the_same_time_does_nothing(world):
    from django.core.cache import cache

    cache.add(opendata.LOCK_KEY, 1)
    assert opendata.dumps_generate() is None


def test_command_reports_progress(world, monkeypatch):
    monkeypatch.setattr(opendata, "PROGRESS_EVERY", 1)
    out = io.StringIO()
    call_command("opendata_generate", stdout=out)
    text = out.getvalue()
    assert "ideen: 1 rows" in text and "ideen: 2 rows" in text
    assert "Open-data downloads written" in text


def test_task_runs_the_same_function(world):
    from api.tasks import generate_open_data

    assert generate_open_data.delay().get() > 0


def test_beat_schedules_the_task(settings):
    assert settings.CELERY_BEAT_SCHEDULE["api-open-data-dumps"]["task"] == "api.tasks.generate_open_data"
