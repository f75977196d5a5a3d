import pytest
from django.urls import reverse

from geraportal.districts.models import District


@pytest.mark.django_db
def test_district_geojson_names_the_active_districts_at_their_centres(client):
    District.objects.filter(name="Aga").update(is_active=False)
    data = client.get(reverse("district_geojson")).json()
    names = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in data["features"]}
    assert "Lusan" in names and "Aga" not in names
    lng, lat = names["Stadtmitte/Innenstadt"]
    assert 50.8 < lat < 51.0 and 12.0 < lng < 12.2
    # Every district the migrations know has a centre, so every one is named on the map.
    assert len(names) == District.objects.active().count()
