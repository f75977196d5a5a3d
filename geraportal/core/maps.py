from django.conf import settings
from django.urls import reverse


def map_config() -> dict:
    """What the map scripts need. Without a tile server (the default) the maps still work:
    markers on a neutral background with the districts named at their places."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "districts_url": reverse("district_geojson"),
    }
