import pytest
from django.db import IntegrityError

from geraportal.districts.models import District


@pytest.mark.django_db
def test_gera_districts_are_seeded_with_parents():
    names = set(District.objects.values_list("name", flat=True))
    assert {"Aga", "Debschwitz", "Falka", "Hain", "Langenberg", "Lusan", "Untermhaus", "Zwötzen"} <= names
    assert {"Bieblach", "Stadtmitte/Innenstadt", "Ostviertel", "Pforten"} <= names
    assert len(names) >= 40
    assert District.objects.get(name="Bieblach-Ost").parent.name == "Bieblach"


@pytest.mark.django_db
def test_district_names_are_unique_regardless_of_case():
    with pytest.raises(IntegrityError):
        District.objects.create(name="LUSAN", slug="lusan-2")


@pytest.mark.django_db
def test_inactive_districts_cannot_be_chosen_at_signup(client):
    District.objects.filter(name="Pforten").update(is_active=False)
    text = client.get("/accounts/signup/").text
    assert "Pforten" not in text and "Lusan" in text


@pytest.mark.django_db
def test_team_edits_districts_in_the_admin(client, team_member):
    client.force_login(team_member)
    district = District.objects.get(name="Tinz")
    response = client.post(
        f"/admin/districts/district/{district.pk}/change/",
        {"name": "Tinz", "slug": "tinz", "kind": "stadtteil", "parent": "", "is_active": ""},
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.is_active is False
