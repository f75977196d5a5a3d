"""The strategy's pages through the client: bad input gets a message (never a 500, nothing
lost), pages show the text, and their query counts stay flat as the text grows."""

import pytest
from django.urls import reverse

from geraportal.strategy import services
from geraportal.strategy.models import Phase, Suggestion

from .conftest import published_edition, set_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(update):
    return set_phase(update, Phase.CONSULTATION)


def _suggest_url(edition, key="wirtschaft"):
    return reverse("strategy_public:suggest", kwargs={"year": edition.year, "key": key})


def _post(client, edition, **data):
    form = {"kind": "change", "quote": "an einer Stelle", "replacement": "im Netz", "text": "Weil es hilft."}
    form.update(data)
    return client.post(_suggest_url(edition), form)


def test_a_citizen_proposes_a_change_and_it_is_shown_under_the_section(client, citizen, consultation):
    client.force_login(citizen)
    response = _post(client, consultation)
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#vorschlag-{suggestion.pk}")
    page = client.get(consultation.get_absolute_url()).text
    assert f'id="vorschlag-{suggestion.pk}"' in page and "im Netz" in page


def test_a_passage_that_no_longer_exists_gets_a_clear_message_and_keeps_the_input(
    client, citizen, consultation
):
    client.force_login(citizen)
    response = _post(
        client, consultation, quote="Diesen Satz gibt es nicht mehr", replacement="Mein Vorschlag"
    )
    assert response.status_code == 200
    assert (
        "not in the current text of the section" in response.text
        or "nicht im aktuellen Text" in response.text
    )
    assert "Mein Vorschlag" in response.text and "Weil es hilft." in response.text
    assert not Suggestion.objects.exists()


def test_100000_characters_get_a_clear_message_and_are_kept(client, citizen, consultation):
    client.force_login(citizen)
    long_text = "Sehr lang. " * 9091  # 100,001 characters
    response = _post(client, consultation, text=long_text)
    assert response.status_code == 200
    text = response.text.replace(".", "").replace(",", "")
    assert "at most 5000" in text or "höchstens 5000" in text  # the limit and the length
    assert "100000" in text  # (the trailing space is stripped)
    assert long_text.strip() in response.text
    assert not Suggestion.objects.exists()


def test_markup_is_refused_with_a_message_not_stored_or_run(client, citizen, consultation):
    client.force_login(citizen)
    response = _post(client, consultation, replacement='<script>alert("x")</script>Text')
    assert response.status_code == 200
    assert "HTML tags" in response.text or "HTML-Tags" in response.text
    assert '<script>alert("x")' not in response.text  # shown escaped in the field, never as markup
    assert not Suggestion.objects.exists()


def test_a_suggestion_after_the_consultation_is_refused_with_the_reason(client, citizen, update):
    set_phase(update, Phase.REVIEW)
    client.force_login(citizen)
    response = _post(client, update)
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


def test_a_team_edit_flags_suggestions_whose_passage_is_gone(client, team_member, citizen, consultation):
    section = consultation.sections.get(key="wirtschaft")
    services.suggestion_submit(
        section=section, author=citizen, kind="change", quote="an einer Stelle", replacement="x", text="y"
    )
    client.force_login(team_member)
    url = reverse("strategy:section_edit", kwargs={"year": consultation.year, "key": "wirtschaft"})
    data = {
        "key": "wirtschaft", "kind": "field", "theme": "wirtschaft", "position": 0, "title_de": "Wirtschaft",
        "title_en": "", "body_de": "Alles neu.", "body_en": "", "note": "Neu gefasst",
    }  # fmt: skip
    response = client.post(url, data, follow=True)
    assert "flagged" in response.text or "markiert" in response.text
    assert Suggestion.objects.get().anchor == Suggestion.Anchor.LOST


def test_english_readers_get_the_german_text_with_a_note(client, base_edition):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("strategy_public:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert "only available in German" in response.text
    assert 'lang="de"' in response.text


def test_the_diff_marks_changes_and_links_the_suggestion(
    client, citizen, team_member, update, strategy_member
):
    set_phase(update, Phase.CONSULTATION)
    section = update.sections.get(key="wirtschaft")
    suggestion = services.suggestion_submit(
        section=section,
        author=citizen,
        kind="change",
        quote="an einer Stelle",
        replacement="im digitalen Bürgerbüro",
        text="y",
    )
    set_phase(update, Phase.DECISION)
    services.suggestion_decide(suggestion=suggestion, by=team_member, status="accepted", reason="Passt gut.")
    set_phase(update, Phase.APPROVAL)
    services.edition_approve(edition=update, by=strategy_member)
    services.edition_publish(edition=update, by=team_member)
    response = client.get(reverse("strategy_public:compare"), {"old": 2025, "new": 2026})
    assert response.status_code == 200
    assert "<ins" in response.text and "<del" in response.text
    assert 'class="visually-hidden">inserted: </span>' in response.text or "eingefügt" in response.text
    assert f"#vorschlag-{suggestion.pk}" in response.text and "Passt gut." in response.text


def _grow(edition, n):
    from geraportal.strategy.models import Section

    for i in range(n):
        Section.objects.create(edition=edition, key=f"extra-{i}", title_de=f"Extra {i}", body_de=f"Text {i}.")


def test_query_counts_stay_flat(client, django_assert_num_queries, team_member):
    old, new = published_edition(2024), published_edition(2025, body="Anders formuliert.")
    for extra in (0, 20):
        _grow(old, extra)
        _grow(new, extra)
        # current edition, running update, sections, history
        with django_assert_num_queries(4):
            client.get(reverse("strategy_public:index"))
        # edition, sections, their suggestions, history, the groups' names
        with django_assert_num_queries(5):
            client.get(reverse("strategy_public:edition", kwargs={"year": 2025}))
        # editions, the two editions' sections, the accepted suggestions between them
        with django_assert_num_queries(4):
            client.get(reverse("strategy_public:compare"), {"old": 2024, "new": 2025})
        old.sections.filter(key__startswith="extra-").delete()
        new.sections.filter(key__startswith="extra-").delete()
