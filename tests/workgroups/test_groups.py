import pytest
from django.urls import reverse

from workgroups.models import WorkingGroup

GROUPS = {
    "wirtschaft": ("Wirtschaft", "Business"),
    "bildung-kultur": ("Bildung und Kultur", "Education and culture"),
    "energie-umwelt": ("Energie und Umwelt", "Energy and environment"),
    "stadtentwicklung-verkehr": (
        "Städtebau, Stadtentwicklung und Verkehr",
        "Urban planning, urban development and transport",
    ),
    "beteiligung-verwaltung": (
        "Bürgerbeteiligung und Verwaltung",
        "Citizen participation and administration",
    ),
}


@pytest.mark.django_db
def test_the_five_working_groups_exist_in_both_languages():
    found = {g.slug: (g.name_de, g.name_en) for g in WorkingGroup.objects.all()}
    assert found == GROUPS
    assert all(g.description_de and g.description_en for g in WorkingGroup.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "index"), [("de", 0), ("en", 1)])
def test_group_list_and_page_in_the_visitors_language(client, language, index, django_assert_num_queries):
    client.cookies["django_language"] = language
    with django_assert_num_queries(1):
        listing = client.get(reverse("workgroups:list"))
    for names in GROUPS.values():
        assert names[index] in listing.text
    page = client.get(reverse("workgroups:detail", kwargs={"slug": "energie-umwelt"}))
    assert f"<h1>{GROUPS['energie-umwelt'][index]}</h1>" in page.text


@pytest.mark.django_db
def test_unknown_group_is_a_404(client):
    assert client.get("/workgroups/gibt-es-nicht/").status_code == 404
