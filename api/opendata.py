"""Open-data downloads: CSV, JSON and GeoJSON dumps of the public data, with their licence.

`dumps_generate()` is the one function (the periodic task and `manage.py opendata_generate`
call it). Each dataset is read once, row by row (`.iterator(chunk_size=...)`), and every
row is written at once to all of its formats in temporary files, so no table is ever held
in memory. The files go to a new folder in the storage; a small manifest then points to
that folder, and only after that are the previous files deleted: a download never finds a
half-written file. The rows come from the apps' public querysets, like the API's.
"""

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import InvalidStorageError, Storage, default_storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geraportal.core.spreadsheet import safe_cell
from geraportal.pages.models import Event
from ideas.models import Idea
from pilots import selectors as pilot_selectors
from pilots.models import Pilot
from pilots.selectors import with_progress
from plenary import services as plenary_services
from plenary.models import Poll, PollOption
from workgroups.models import Meeting

PREFIX = "opendata"
MANIFEST = f"{PREFIX}/manifest.json"
CHUNK_SIZE = 2000
PROGRESS_EVERY = 1000
LOCK_KEY = "opendata:generating"
LOCK_SECONDS = 3600
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}

Row = dict[str, object]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object  # a lazy translation
    rows: Callable[[], Iterator[Row]]
    # For GeoJSON: the row's (longitude, latitude), or None for a row without a place.
    point: Callable[[Row], tuple[float, float] | None] | None = None


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def _point(row: Row) -> tuple[float, float] | None:
    if row["latitude"] is None or row["longitude"] is None:
        return None
    return float(row["longitude"]), float(row["latitude"])


def idea_rows() -> Iterator[Row]:
    ideas = Idea.objects.public().select_related("theme", "district", "competition").order_by("pk")
    for idea in ideas.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": idea.pk,
            "title": idea.title,
            "status": idea.status,
            "theme": idea.theme.slug,
            "district": idea.district.slug if idea.district else "",
            "competition": idea.competition.slug if idea.competition else "",
            "supports": idea.support_count,
            "comments": idea.comment_count,
            "latitude": idea.latitude,
            "longitude": idea.longitude,
            "place": idea.location_text,
            "submitted": _local(idea.created_at),
            "url": _absolute(idea.get_absolute_url()),
        }


def pilot_rows() -> Iterator[Row]:
    pilots = with_progress(
        Pilot.objects.public().select_related("working_group", "organisation").prefetch_related("districts")
    ).order_by("pk")
    for pilot in pilots.iterator(chunk_size=CHUNK_SIZE):
        yield pilot_selectors.export_row(pilot, absolute_url=_absolute)


def meeting_rows() -> Iterator[Row]:
    meetings = Meeting.objects.public().select_related("group").order_by("starts_at", "pk")
    for meeting in meetings.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": meeting.pk,
            "working_group": meeting.group.slug,
            "title": meeting.title,
            "starts_at": _local(meeting.starts_at),
            "ends_at": _local(meeting.ends_at),
            "location": meeting.location,
            "url": _absolute(meeting.get_absolute_url()),
        }


def event_rows() -> Iterator[Row]:
    for event in Event.objects.order_by("starts_at", "pk").iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": event.pk,
            "title": event.title,
            "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at),
            "location": event.location,
            "online_url": event.online_url,
            "url": _absolute(event.get_absolute_url()),
        }


def poll_result_rows() -> Iterator[Row]:
    """One row per proposal of every published poll (never an open or unpublished one)."""
    polls = (
        Poll.objects.filter(status=Poll.Status.PUBLISHED)
        .select_related("meeting")
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.select_related("pilot")))
        .order_by("pk")
    )
    for poll in polls.iterator(chunk_size=100):
        result = plenary_services.poll_result(poll=poll)
        for option in result.options:
            yield {
                "poll": poll.pk,
                "poll_title": poll.title,
                "meeting": poll.meeting.slug if poll.meeting else "",
                "method": poll.method,
                "rank": option.rank,
                "proposal": option.title,
                "score": option.score,
                "tied": option.tied,
                "ballots": result.ballots,
                "eligible": result.eligible,
                "turnout_percent": result.turnout_percent,
                "ballot_hash": poll.ballot_hash,
                "url": _absolute(poll.get_absolute_url()),
            }


DATASETS = [
    Dataset("ideen", _("Ideas"), idea_rows, point=_point),
    Dataset("pilotprojekte", _("Pilot projects"), pilot_rows, point=_point),
    Dataset("arbeitsgruppen-termine", _("Public meetings of the working groups"), meeting_rows),
    Dataset("veranstaltungen", _("Workshops and events"), event_rows),
    Dataset("abstimmungsergebnisse", _("Published results of the plenary polls"), poll_result_rows),
]


def opendata_storage() -> Storage:
    """`STORAGES["opendata"]` where set (several machines: S3 or the like), else the default."""
    try:
        return storages["opendata"]
    except InvalidStorageError:
        return default_storage


def manifest_read(storage: Storage | None = None) -> dict | None:
    storage = storage or opendata_storage()
    if not storage.exists(MANIFEST):
        return None
    with storage.open(MANIFEST, "rb") as handle:
        return json.loads(handle.read())


class _Writers:
    """The open files of one dataset, each written as the rows come."""

    def __init__(self, dataset: Dataset, header: dict) -> None:
        self.dataset = dataset
        # Closed in `close()`, after the storage has copied them.
        self.files = {fmt: tempfile.TemporaryFile("w+b") for fmt in self.formats}  # noqa: SIM115
        self.text = {fmt: io.TextIOWrapper(f, encoding="utf-8", newline="") for fmt, f in self.files.items()}
        self.csv = csv.writer(self.text["csv"], delimiter=";")
        self.columns: list[str] | None = None
        self.count = 0
        self.located = 0
        self.text["csv"].write("\ufeff")  # so spreadsheet programs read UTF-8
        head = json.dumps(header, cls=DjangoJSONEncoder, ensure_ascii=False)[:-1]
        self.text["json"].write(head + ', "rows": [\n')
        if "geojson" in self.text:
            self.text["geojson"].write(head + ', "type": "FeatureCollection", "features": [\n')

    @property
    def formats(self) -> list[str]:
        return ["csv", "json", "geojson"] if self.dataset.point else ["csv", "json"]

    def write(self, row: Row) -> None:
        if self.columns is None:
            self.columns = list(row)
            self.csv.writerow(self.columns)
        self.csv.writerow([safe_cell(value) for value in row.values()])
        separator = ",\n" if self.count else ""
        self.text["json"].write(separator + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
        self.count += 1
        point = self.dataset.point(row) if self.dataset.point else None
        if point is not None:
            properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(point)},
                "properties": properties,
            }
            separator = ",\n" if self.located else ""
            self.text["geojson"].write(
                separator + json.dumps(feature, cls=DjangoJSONEncoder, ensure_ascii=False)
            )
            self.located += 1

    def finish(self) -> None:
        if self.columns is None:
            self.csv.writerow(["id"])
        self.text["json"].write("\n]}\n")
        if "geojson" in self.text:
            self.text["geojson"].write("\n]}\n")
        for wrapper in self.text.values():
            wrapper.flush()
            wrapper.seek(0)

    def close(self) -> None:
        for wrapper in self.text.values():
            wrapper.close()


def dumps_generate(
    *, storage: Storage | None = None, progress: Callable[[str, int], None] | None = None
) -> dict | None:
    """Write every dataset in every format and switch the manifest to them.

    `progress(dataset, rows)` is told every PROGRESS_EVERY rows and at each dataset's end.
    Returns the new manifest, or None if another run holds the lock (a second beat, say).
    """
    if not cache.add(LOCK_KEY, 1, timeout=LOCK_SECONDS):
        return None
    try:
        return _generate(storage or opendata_storage(), progress)
    finally:
        cache.delete(LOCK_KEY)


def _generate(storage: Storage, progress: Callable[[str, int], None] | None) -> dict:
    generated_at = timezone.now()
    folder = f"{PREFIX}/{generated_at:%Y%m%dT%H%M%S%f}"
    licence = dict(settings.OPEN_DATA_LICENCE)
    entries = []
    for dataset in DATASETS:
        header = {"dataset": dataset.name, "generated_at": generated_at, "licence": licence}
        writers = _Writers(dataset, header)
        try:
            for row in dataset.rows():
                writers.write(row)
                if progress and writers.count % PROGRESS_EVERY == 0:
                    progress(dataset.name, writers.count)
            writers.finish()
            files = {}
            for fmt, handle in writers.files.items():
                name = storage.save(f"{folder}/{dataset.name}.{fmt}", File(handle))
                files[fmt] = {"name": name, "bytes": storage.size(name)}
        finally:
            writers.close()
        if progress:
            progress(dataset.name, writers.count)
        entries.append({"name": dataset.name, "rows": writers.count, "files": files})
    manifest = {"generated_at": generated_at.isoformat(), "licence": licence, "datasets": entries}
    previous = manifest_read(storage)
    if storage.exists(MANIFEST):
        storage.delete(MANIFEST)
    storage.save(MANIFEST, ContentFile(json.dumps(manifest, indent=2).encode()))
    for entry in (previous or {}).get("datasets", []):
        for file in entry["files"].values():
            if file["name"].rsplit("/", 1)[0] != folder:
                storage.delete(file["name"])
    return manifest
