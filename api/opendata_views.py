"""The open-data page and its downloads (the files themselves are written by a periodic task)."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from . import opendata


@require_safe
def opendata_page(request):
    manifest = opendata.manifest_read()
    titles = {dataset.name: dataset.title for dataset in opendata.DATASETS}
    datasets = []
    if manifest:
        for entry in manifest["datasets"]:
            datasets.append({**entry, "title": titles.get(entry["name"], entry["name"])})
    return render(
        request,
        "api/opendata.html",
        {
            "datasets": datasets,
            "generated_at": parse_datetime(manifest["generated_at"]) if manifest else None,
            "licence": settings.OPEN_DATA_LICENCE,
        },
    )


@require_safe
def opendata_download(request, name: str, fmt: str):
    manifest = opendata.manifest_read()
    entry = next((d for d in (manifest or {}).get("datasets", []) if d["name"] == name), None)
    if entry is None or fmt not in entry["files"]:
        raise Http404
    storage = opendata.opendata_storage()
    response = FileResponse(
        storage.open(entry["files"][fmt]["name"], "rb"),
        content_type=opendata.CONTENT_TYPES[fmt],
        as_attachment=fmt == "csv",
        filename=f"{name}.{fmt}",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response
