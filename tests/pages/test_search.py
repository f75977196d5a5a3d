import pytest
from django.urls import reverse
from django.utils import timezone

from geraportal.core.search import highlight
from geraportal.pages.models import Event, NewsPost
from geraportal.strategy.models import Phase
from tests.ideas.factories import IdeaFactory
from tests.pilots.factories import PilotFactory
from tests.strategy.conftest import published_edition, set_phase
from tests.workgroups.factories import DocumentFactory, MeetingFactory, MembershipFactory
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


@pytest.mark.postgres
def test_search_stems_german_words_in_every_source(client):
    PilotFactory(title="Zählstellen", summary="Ein neuer Radweg nach Lusan.", status="approved")
    NewsPost.objects.create(
        slug="lusan", title="Lusan", teaser="Der Radweg ist fertig", body="Text", published_at=timezone.now()
    )
    published_edition(2025, body="Gera baut einen Radweg an der Elster.")
    text = client.get(reverse("pages:search"), {"q": "Radwegen"}).text
    for group in ("pilots", "news", "strategy"):
        assert f'id="results-{group}"' in text, group
    assert "<mark>Radweg</mark>" in text


def test_search_never_shows_private_discussions_to_outsiders(client, citizen):
    group = WorkingGroup.objects.first()
    Thread.objects.create(group=group, title="Geheimer Radweg-Plan", visibility="members", author=citizen)
    Thread.objects.create(group=group, title="Offener Radweg-Plan", visibility="public", author=citizen)
    client.force_login(citizen)
    text = client.get(reverse("pages:search"), {"q": "Radweg"}).text
    assert "Offener Radweg-Plan" in text and "Geheimer" not in text


def test_documents_and_meetings_are_found_only_by_whoever_may_see_them(client, citizen):
    DocumentFactory(title="Radweg-Konzept intern", visibility="members")
    DocumentFactory(title="Radweg-Konzept öffentlich", visibility="public")
    MeetingFactory(title="Radweg-Treffen intern", visibility="members")
    MeetingFactory(title="Radweg-Treffen öffentlich", visibility="public")
    client.force_login(citizen)
    text = client.get(reverse("pages:search"), {"q": "Radweg"}).text
    assert 'id="results-documents"' in text and 'id="results-meetings"' in text
    assert "Konzept öffentlich" in text and "Treffen öffentlich" in text and "intern" not in text
    MembershipFactory(user=citizen)  # a member of the group finds its internal papers too
    text = client.get(reverse("pages:search"), {"q": "Radweg"}).text
    assert "Radweg-Konzept intern" in text and "Radweg-Treffen intern" in text


def test_events_and_the_strategy_text_are_found(client):
    Event.objects.create(
        title="Radtour durch Untermhaus",
        description="Wir fahren die neuen Radwege ab.",
        location="Markt",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    published_edition(2025, body="Gera baut sichere Radwege zwischen den Stadtteilen.")
    consultation = published_edition(2026, body="Gera baut Radwege bis an den Stadtrand.")
    consultation.published_at = consultation.approved_at = None
    set_phase(consultation, Phase.CONSULTATION)
    draft = published_edition(2027, body="Entwurf: Radwege entlang der Elster.")
    draft.published_at = draft.approved_at = None
    set_phase(draft, Phase.DRAFT)
    text = client.get(reverse("pages:search"), {"q": "Radweg"}).text
    assert 'id="results-events"' in text and "Radtour durch Untermhaus" in text
    assert 'id="results-strategy"' in text
    assert 'href="/strategy/2025/#abschnitt-wirtschaft"' in text and "sichere <mark>Radwege</mark>" in text
    assert 'href="/strategy/2026/#abschnitt-wirtschaft"' in text  # the consultation's draft is public
    assert "Elster" not in text and "/strategy/2027/" not in text


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
    published_edition(2025)
    draft = published_edition(2027)
    draft.published_at = draft.approved_at = None
    set_phase(draft, Phase.DRAFT)
    response = client.get("/sitemap.xml")
    assert "/strategy/2025/" in response.text and "/strategy/2027/" not in response.text
    robots = client.get("/robots.txt").text
    assert "Sitemap: " in robots and "/sitemap.xml" in robots and "Disallow: /staff/" in robots


def test_header_links_to_the_search(client):
    assert f'href="{reverse("pages:search")}"' in client.get("/").text
