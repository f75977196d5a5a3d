import pytest
from django.urls import reverse
from django.utils import timezone

from geraportal.core.search import highlight
from geraportal.pages.models import NewsPost
from tests.ideas.factories import IdeaFactory
from tests.pilots.factories import PilotFactory
from workgroups.models import Thread, WorkingGroup

pytestmark = pytest.mark.django_db


def test_search_groups_ideas_pilots_and_news(client):
    IdeaFactory(title="Sichere Radwege nach Bieblach", body="Eine beleuchtete Radroute.")
    PilotFactory(
        title="Radverkehrszählung", summary="Zählstellen zeigen, wo Radwege fehlen.", status="proposed"
    )
    NewsPost.objects.create(
        slug="radwege",
        title="Radwege in Gera",
        teaser="Neues zum Radweg",
        body="Text",
        published_at=timezone.now(),
    )
    text = client.get(reverse("pages:search"), {"q": "Radweg"}).text
    assert 'id="results-ideas"' in text and 'id="results-pilots"' in text and 'id="results-news"' in text
    assert "<mark>Radwege</mark>" in text


def test_search_never_shows_private_discussions_to_outsiders(client, citizen):
    group = WorkingGroup.objects.first()
    Thread.objects.create(group=group, title="Geheimer Radweg-Plan", visibility="members", author=citizen)
    Thread.objects.create(group=group, title="Offener Radweg-Plan", visibility="public", author=citizen)
    client.force_login(citizen)
    text = client.get(reverse("pages:search"), {"q": "Radweg"}).text
    assert "Offener Radweg-Plan" in text and "Geheimer" not in text


def test_highlight_escapes_user_text():
    html = highlight('<script>alert("Radweg")</script> Radweg', "Radweg")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "<mark>Radweg</mark>" in html


def test_sitemap_lists_public_pages_only_and_robots_points_to_it(client):
    IdeaFactory(title="Öffentliche Idee")
    hidden = IdeaFactory(title="Versteckte Idee", hidden=True)
    PilotFactory(title="Entwurf", status="draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert hidden.get_absolute_url() not in response.text and "/nutzungsbedingungen/" in response.text
    assert "entwurf" not in response.text
    robots = client.get("/robots.txt").text
    assert "Sitemap: " in robots and "/sitemap.xml" in robots and "Disallow: /staff/" in robots


def test_header_links_to_the_search(client):
    assert f'href="{reverse("pages:search")}"' in client.get("/").text
