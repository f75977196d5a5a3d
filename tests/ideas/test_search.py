import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from ideas.models import Idea
from ideas.selectors import IdeaFilters, idea_list
from ideas.services import idea_refresh_search

from .factories import IdeaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def ideas():
    made = [
        IdeaFactory(title="Fahrradwege an der Weißen Elster", body="Sichere Radwege für Pendler."),
        IdeaFactory(title="Solarbänke", body="Bänke mit Ladestation für Fahrräder und Handys."),
        IdeaFactory(title="Bibliothek digital", body="Ausleihe per App."),
    ]
    idea_refresh_search()
    return made


def titles(q: str) -> list[str]:
    return [i.title for i in idea_list(user=AnonymousUser(), filters=IdeaFilters(q=q, sort="relevance"))]


def test_german_stemming_and_title_weighs_more_than_body(ideas):
    found = titles("Fahrrad")
    assert found[0] == "Fahrradwege an der Weißen Elster"
    assert "Bibliothek digital" not in found
    assert titles("Radwegen") == ["Fahrradwege an der Weißen Elster"]  # stemmed: Radweg


def test_websearch_syntax_with_quotes_and_minus(ideas):
    assert titles('"Ausleihe per App"') == ["Bibliothek digital"]
    assert "Solarbänke" not in titles("Bänke -Ladestation")


def test_partial_words_match_titles_by_trigram(ideas):
    assert "Fahrradwege an der Weißen Elster" in titles("Fahrradw")
    assert "Bibliothek digital" in titles("Biblio")


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "&&&", ":*", "!", "()", "|", "\\", "<->", "a & !b", '"unclosed', "\x00"]
)
def test_operator_soup_is_just_text(client, ideas, q):
    assert client.get(reverse("ideas:list"), {"q": q}).status_code == 200


def test_search_uses_the_gin_indexes(ideas):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'ideas_idea'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"ideas_idea_search_gin", "ideas_idea_title_trgm"} <= names
    assert Idea.objects.exclude(search_vector=None).count() == 3


@pytest.mark.parametrize("q", ["\x00", "Fahrrad\x00wege"])
def test_search_with_a_nul_byte_shows_the_list_instead_of_an_error(client, ideas, q):
    response = client.get(reverse("ideas:list"), {"q": q})
    assert response.status_code == 200
    assert "Solarbänke" in response.text


def test_a_long_single_word_is_found_by_its_stem_and_prefix_without_trigrams(ideas):
    assert titles("Fahrradwegen") == ["Fahrradwege an der Weißen Elster"]  # 12 letters: stem
    assert titles("Bibliotheka") == []  # no trigram guess for a long word
    assert "Bibliothek digital" in titles("Bibliothe")  # a short one still gets one
