from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import District


@require_safe
@cache_control(public=True, max_age=3600)
def district_geojson(request):
    """The districts' names at their centres: the maps' background when no tile server is set."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
            "properties": {"name": name, "kind": kind, "part": parent is not None},
        }
        for name, kind, parent, lat, lng in District.objects.active()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("name", "kind", "parent_id", "latitude", "longitude")
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})
