from django.utils import translation

from geraportal.strategy import anchoring
from geraportal.strategy.diff import diff_texts

TEXT = "Gera stärkt den Mittelstand. Der Mittelstand ist wichtig."


def test_locate_finds_a_passage_and_its_context():
    found = anchoring.locate(TEXT, "stärkt den")
    assert found.position == 5 and found.prefix == "Gera " and found.suffix.startswith(" Mittelstand")


def test_locate_prefers_the_occurrence_whose_context_matches():
    found = anchoring.locate(TEXT, "Mittelstand", prefix="Der ", suffix=" ist")
    assert found.position == TEXT.rindex("Mittelstand")
    found = anchoring.locate(TEXT, "Mittelstand", prefix="den ", suffix=".")
    assert found.position == TEXT.index("Mittelstand")


def test_locate_tolerates_the_spacing_a_browser_selection_has():
    text = "Erste Zeile\nzweite Zeile."
    found = anchoring.locate(text, "Zeile zweite")
    assert found is not None and found.quote == "Zeile\nzweite"


def test_locate_returns_none_for_a_missing_passage():
    assert anchoring.locate(TEXT, "gibt es nicht") is None
    assert anchoring.locate(TEXT, "   ") is None


def test_replace_swaps_exactly_the_anchored_passage():
    found = anchoring.locate(TEXT, "Mittelstand", prefix="Der ")
    assert (
        anchoring.replace(TEXT, found, "Handwerk") == "Gera stärkt den Mittelstand. Der Handwerk ist wichtig."
    )


def test_diff_marks_changes_with_elements_and_hidden_words_not_only_colour():
    with translation.override("en"):
        result = diff_texts("Gera spart Energie.", "Gera spart viel Energie.")
    assert [c.inserted.strip() for c in result.changes] == ["viel"]
    assert '<ins id="change--1"><span class="visually-hidden">inserted: </span>' in result.html


def test_diff_escapes_the_text():
    result = diff_texts("a <b>", "a <script>alert(1)</script>")
    assert "<script>" not in result.html and "&lt;script&gt;" in result.html


def test_diff_ignores_changes_of_spacing_only():
    assert not diff_texts("a  b", "a b").changed


def test_diff_of_a_replacement_has_one_change_with_both_parts():
    result = diff_texts("Eine Insel.", "Zwei Inseln.")
    assert len(result.changes) == 1 and result.changes[0].kind == "replace"
    assert "<del" in result.html and "<ins>" in result.html
