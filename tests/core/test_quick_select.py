"""QuickSelect writes the same markup as Django's Select, without a template per option."""

from django import forms
from django.test.html import parse_html

from geraportal.core.forms import QuickSelect

ATTRS = {"class": "form-select"}
CHOICES = [("", "Alle"), ("a<b", "Ost & <West>"), ("Gruppe", [("x", "X"), ("y", "Y")])]


def _pair(value):
    class Form(forms.Form):
        django = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.Select(attrs=ATTRS))
        quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect(attrs=ATTRS))

    form = Form({"django": value, "quick": value})
    return str(form["django"]).replace("django", "quick"), str(form["quick"])


def test_same_markup_as_django_for_a_plain_and_a_grouped_choice():
    for value in ("", "a<b", "y", "not-a-choice"):
        django_html, quick_html = _pair(value)
        assert parse_html(quick_html) == parse_html(django_html)  # attributes in any order


def test_labels_and_values_are_escaped_and_the_choice_is_selected():
    _, html = _pair("a<b")
    assert '<option value="a&lt;b" selected>Ost &amp; &lt;West&gt;</option>' in html
    assert "<script" not in html


def test_a_select_written_again_is_the_same_and_a_new_label_is_a_new_select():
    def render(choices, value):
        widget = QuickSelect(attrs=ATTRS)
        widget.choices = choices
        return widget.render("district", value, attrs={"id": "id_district"})

    first = render([("", "Alle"), ("ost", "Ost")], "ost")
    assert render([("", "Alle"), ("ost", "Ost")], "ost") == first
    assert '<option value="ost" selected>Ost</option>' in first
    renamed = render([("", "Alle"), ("ost", "Gera-Ost")], "ost")
    assert '<option value="ost" selected>Gera-Ost</option>' in renamed
    assert 'value="ost" selected' not in render([("", "Alle"), ("ost", "Ost")], "")
