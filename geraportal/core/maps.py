from django.conf import settings


def map_config() -> dict:
    """What the map scripts need: the city's tile server (empty: no map, the list only)."""
    return {"tile_url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
