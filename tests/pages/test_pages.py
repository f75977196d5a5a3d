import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

PAGES = ["home", "strategy", "contact", "imprint", "privacy", "accessibility", "easy_language"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_renders_in_both_languages_with_a_pinned_number_of_queries(
    client, name, language, django_assert_num_queries
):
    client.cookies["django_language"] = language
    # Static pages ask the database nothing; the home page its sections, the strategy page its text.
    with django_assert_num_queries({"home": 3, "strategy": 1}.get(name, 0)):
        response = client.get(reverse(f"pages:{name}"))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    assert 'href="#main"' in response.text  # skip link
    assert "<main" in response.text and "<footer" in response.text


@pytest.mark.django_db
def test_footer_shows_the_office(client):
    text = client.get("/").text
    assert "Kornmarkt 12" in text and "07545 Gera" in text and "0365 838-1200" in text
    assert "Montag–Donnerstag 09:00–17:00" in text and "Freitag 09:00–15:00" in text


@pytest.mark.django_db
def test_header_links_only_to_sections_that_exist(client):
    text = client.get("/").text
    assert 'href="/workgroups/"' in text
    for url in ("/ideas/", "/pilots/", "/plenary/", "/news/"):
        resolved = Client().get(url).status_code != 404
        assert (f'href="{url}"' in text) is resolved


@pytest.mark.django_db
def test_home_lists_the_working_groups(client):
    text = client.get("/").text
    assert "Energie und Umwelt" in text and "Bürgerbeteiligung und Verwaltung" in text


@pytest.mark.django_db
def test_home_asks_visitors_to_sign_up_and_members_for_their_idea(client, django_user_model):
    visitor = client.get("/").text
    assert "Konto anlegen" in visitor and 'href="/accounts/signup/"' in visitor
    person = django_user_model.objects.create_user(email="lena@example.org", password="Gera-2026-Lusan!")
    client.force_login(person)
    member = client.get("/").text
    assert "Konto anlegen" not in member and "Registrieren" not in member
    assert 'href="/ideas/new/"' in member


@pytest.mark.django_db
def test_accessibility_statement_names_what_bitv_asks_for(client):
    text = client.get(reverse("pages:accessibility")).text
    for needle in ("Stand", "Barriere", "Durchsetzungsverfahren", "Erfurt"):
        assert needle in text


@pytest.mark.django_db
def test_easy_language_page_has_a_place_for_the_sign_language_video(client):
    text = client.get(reverse("pages:easy_language")).text
    assert "sign-language-slot" in text and "Gebärdensprache" in text


@pytest.mark.django_db
def test_unknown_address_gets_the_portal_404_page(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    assert "Kornmarkt 12" in response.text


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "SMARTCity" in html and "<main" in html


@pytest.mark.django_db
def test_security_headers_are_set(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_load_nothing_from_other_hosts(client):
    text = client.get("/").text
    assert "cdn" not in text.lower()
    assert 'src="http' not in text and 'href="http' not in text.replace('href="https://', "")


def _fill_home_like_the_demo(pilots: int) -> list:
    """Content in every home section, as after `seed_demo`: pilots in districts, ideas, news, events."""
    from geraportal.districts.models import District
    from tests.ideas.factories import IdeaFactory
    from tests.pages.factories import EventFactory, NewsPostFactory
    from tests.pilots.factories import PilotFactory
    from tests.workgroups.factories import MeetingFactory, group

    districts = list(District.objects.all()[:4])
    for n in range(pilots):
        pilot = PilotFactory(status="implementation", title=f"Pilot im Stadtteil {n}")
        pilot.districts.set(districts[n % 2 : n % 2 + 2])
    for _ in range(4):
        IdeaFactory()
    for _ in range(3):
        NewsPostFactory()
        EventFactory()
    MeetingFactory(group=group("energie-umwelt"), visibility="public")
    return districts


@pytest.mark.django_db
@pytest.mark.parametrize("pilots", [1, 3, 6])
def test_home_page_with_content_needs_a_pinned_number_of_queries_however_many_pilots(
    client, pilots, django_assert_num_queries
):
    districts = _fill_home_like_the_demo(pilots)
    # Working groups, pilots, their districts (all cards at once) and news: never one per pilot.
    with django_assert_num_queries(4):
        response = client.get(reverse("pages:home"))
    assert response.status_code == 200
    assert response.text.count("pilot-card") == min(pilots, 3)
    assert "Pilot im Stadtteil" in response.text
    assert districts[1].name in response.text  # every card names its districts


@pytest.mark.django_db
def test_easy_language_page_follows_the_din_spec_33429_rules_we_can_check(client):
    import re
    from html import unescape

    html = client.get(reverse("pages:easy_language")).text
    content = html[html.index('<article class="content-page') : html.index("</article>")]
    # It says plainly that readers with learning difficulties have not checked it yet.
    assert "Dieser Text ist noch nicht geprüft" in content and "Prüf·gruppe" in content
    text = unescape(re.sub(r"<[^>]+>", "\n", content))
    sentences = [s.strip() for s in re.split(r"[.?!:\n]", text) if s.strip()]
    # Short sentences, one statement each: no long ones, no subordinate clauses.
    too_long = [s for s in sentences if len(s.split()) > 11]
    assert too_long == [], too_long
    clauses = [s for s in sentences if re.search(r",\s*(dass|weil|obwohl|wenn|bevor|nachdem|damit)\b", s)]
    assert clauses == [], clauses
    # Hard words are explained where they stand.
    for word in ("Portal", "Konto", "Pass·wort", "Projekt", "Stadt·rat", "Gebärden·sprache", "Gehörlos"):
        assert f"<strong>{word}</strong>" in content, word


@pytest.mark.django_db
def test_strategy_page_links_the_current_edition_and_its_history(client):
    from tests.strategy.conftest import published_edition

    published_edition(2022)
    current = published_edition(2025)
    text = client.get(reverse("pages:strategy")).text
    assert "Aktuell gilt die Fassung 2025: „Fortschreibung 2025“." in text
    assert f'href="{current.get_absolute_url()}"' in text and 'href="/strategy/2022/"' in text
    assert f'href="{reverse("strategy_public:index")}"' in text
    assert text.index("/strategy/2025/") < text.index("/strategy/2022/")  # newest first


@pytest.mark.django_db
def test_footer_links_the_terms_of_use_and_netiquette_the_statement_and_easy_language(client):
    footer = client.get("/").text.split('<footer class="portal-footer')[1]
    for name in ("pages:terms", "pages:accessibility", "pages:easy_language"):
        assert f'href="{reverse(name)}"' in footer, name
    terms = client.get(reverse("pages:terms")).text
    assert "<h2>Nutzungsbedingungen</h2>" in terms
    assert "<h2>Netiquette: So reden wir miteinander</h2>" in terms
