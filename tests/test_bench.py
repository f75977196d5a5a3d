"""The benchmark's code paths run (not how fast: that is `make bench`'s job)."""

import pytest
from django.db import connection

from bench import city

TINY = {
    **city.SMALL,
    "users": 30,
    "ideas": 40,
    "growth_from": 20,
    "comments": 80,
    "busy_comments": 5,
    "supports": 80,
    "threads": 4,
    "posts": 8,
    "pilots": 3,
    "updates": 6,
}


def test_text_has_common_and_rare_words():
    text = city.Text()
    words = [text.words_(40) for _ in range(200)]
    assert sum("Stadt" in w for w in words) > 150  # the most common word is nearly everywhere
    assert len({w for line in words for w in line.split()}) > 1000  # and the vocabulary is wide


def test_report_is_written_as_markdown_json_and_svg(tmp_path, monkeypatch):
    monkeypatch.setattr(city, "RESULTS", tmp_path)
    row = {
        "page": "home",
        "who": "anon",
        "queries": 0,
        "rps": 900.0,
        "p50": 3.0,
        "p95": 9.0,
        "p99": 12.0,
        "errors": 0,
        "ratio_min": 0.5,
        "ratio_median": 0.6,
        "ratio_max": 0.7,
        "goal": 0.4,
    }
    report = {
        "date": "2026-01-01",
        "scale": "small",
        "machine": "test",
        "data": "none",
        "pages": [row],
        "growth": [{**row, "ideas": 50}],
        "plenary": "ok",
        "newsletter": "ok",
    }
    path = city.write_report(report)
    assert "| home | anon | 900 |" in path.read_text()
    assert (tmp_path / "2026-01-01.json").exists() and "<svg" in (tmp_path / "2026-01-01.svg").read_text()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench seeds PostgreSQL with COPY")
def test_seeding_and_the_pages_it_measures(client):
    from ideas.models import Comment, Idea

    text = city.Text()
    city.seed_base(TINY, text)
    city.seed_ideas(TINY, text, TINY["growth_from"], busy=True)
    city.seed_ideas(TINY, text, TINY["ideas"], busy=False)
    assert Idea.objects.count() >= TINY["ideas"]
    assert Comment.objects.exclude(body_html="").count() == Comment.objects.count()
    from geraportal.accounts.models import User

    citizen = User.objects.get(email="bench-1@example.org")
    pages = city.key_pages(TINY, "sessionid=x", citizen)
    assert {p["who"] for p in pages} == {"anon", "anon, miss", "logged in"}
    assert all(p["queries"] is not None for p in pages)
    assert "participation summary" in {p["name"] for p in pages}
    from bench.dashboard import time_aggregates

    assert "staff dashboard  all figures: median" in time_aggregates(repeat=1)
