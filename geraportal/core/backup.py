"""Backup and restore: the database and every file storage, with a manifest.

A backup is a directory:

    manifest.json       when, which database engine, the newest migration of each app, and
                        for every file below its size and SHA-256 (restore checks them first)
    database.dump       PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`)
    database.sqlite3    SQLite (the embedded default): a consistent copy via SQLite's backup API
    files-<name>.tar    one archive per storage: the public media, the private files, the
                        working-group documents ... (apps register theirs)

Files are read and written through Django's storage API, so the same commands work for local
disks and S3-compatible object storage.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
Progress = Callable[[str], None]

# Storages to back up besides STORAGES["default"]: name → a function returning the storage.
_storages: dict[str, Callable[[], Storage]] = {}


def register_storage(name: str, get_storage: Callable[[], Storage]) -> None:
    """Apps call this from `ready()` for storages of their own (e.g. private documents)."""
    _storages[name] = get_storage


def backed_up_storages() -> dict[str, Storage]:
    found = {"media": storages["default"]}
    found.update({name: get() for name, get in sorted(_storages.items())})
    return found


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    files: int


def _walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from _walk(storage, f"{prefix}{directory}/")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_connection(db: dict) -> tuple[list[str], dict[str, str]]:
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres"]
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run PostgreSQL's client tools (from PATH; the arguments come from the settings)."""
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


def _migrations(alias: str) -> dict[str, str]:
    newest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        newest[app] = max(newest.get(app, ""), name)
    return dict(sorted(newest.items()))


def backup_create(
    *, directory: Path, alias: str = DEFAULT_DB_ALIAS, progress: Progress = print
) -> BackupResult:
    """Write a complete backup into `directory` (which must not exist yet)."""
    if directory.exists():
        raise BackupError(f"{directory} exists already; choose a new directory.")
    directory.mkdir(parents=True)
    db = connections[alias].settings_dict
    vendor = connections[alias].vendor
    progress(f"Database ({vendor}) …")
    if vendor == "postgresql":
        args, env = _pg_connection(db)
        target = directory / "database.dump"
        command = [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
        ]
        _run(command, env)
    elif vendor == "sqlite":
        target = directory / "database.sqlite3"
        source = sqlite3.connect(db["NAME"])
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        source.close()
        destination.close()
    else:
        raise BackupError(f"No backup for the database engine {vendor!r}.")

    file_count = 0
    for name, storage in backed_up_storages().items():
        names = list(_walk(storage))
        archive = directory / f"files-{name}.tar"
        with tarfile.open(archive, "w") as tar:
            for number, path in enumerate(names, start=1):
                with storage.open(path, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(path)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                if number % 100 == 0 or number == len(names):
                    progress(f"Files {name}: {number}/{len(names)}")
        if not names:
            progress(f"Files {name}: none")
        file_count += len(names)

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"vendor": vendor, "file": target.name},
        "migrations": _migrations(alias),
        "storages": sorted(backed_up_storages()),
        "files": {
            p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in sorted(directory.iterdir())
        },
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    progress(f"Backup written to {directory} ({file_count} files).")
    return BackupResult(directory=directory, files=file_count)


def manifest_check(directory: Path) -> dict:
    """Read the manifest and verify every file against it; raises BackupError on any mismatch."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"No readable manifest.json in {directory}: {exc}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} is missing or damaged (checksum differs from the manifest).")
    return manifest


def _database_is_empty(alias: str) -> bool:
    return not connections[alias].introspection.table_names()


def backup_restore(
    *, directory: Path, alias: str = DEFAULT_DB_ALIAS, progress: Progress = print, force: bool = False
) -> None:
    """Restore a backup into an empty database and the configured storages."""
    manifest = manifest_check(directory)
    vendor = connections[alias].vendor
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"The backup holds a {manifest['database']['vendor']} database; this is {vendor}.")
    if not force and not _database_is_empty(alias):
        raise BackupError("The database is not empty. Restore into an empty database (or pass --force).")
    db = connections[alias].settings_dict
    source = directory / manifest["database"]["file"]
    progress(f"Database ({vendor}) …")
    connections[alias].close()
    if vendor == "postgresql":
        args, env = _pg_connection(db)
        command = ["pg_restore", *args, "--dbname", db["NAME"], "--no-owner", "--no-privileges"]
        command += ["--exit-on-error", *(["--clean", "--if-exists"] if force else []), str(source)]
        _run(command, env)
    else:
        shutil.copyfile(source, db["NAME"])

    files_restore(directory=directory, manifest=manifest, progress=progress)
    progress("Restore finished.")


def files_restore(*, directory: Path, manifest: dict, progress: Progress = print) -> None:
    """Put every file of the backup back into its storage (replacing a file of the same name)."""
    targets = backed_up_storages()
    for name in manifest["storages"]:
        if name not in targets:
            raise BackupError(
                f"The backup holds files for the storage {name!r}, which is not configured here."
            )
        storage = targets[name]
        with tarfile.open(directory / f"files-{name}.tar") as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
            for number, member in enumerate(members, start=1):
                if member.name.startswith("/") or ".." in Path(member.name).parts:
                    raise BackupError(f"Refusing the path {member.name!r} in files-{name}.tar.")
                extracted = tar.extractfile(member)
                assert extracted is not None
                if storage.exists(member.name):
                    storage.delete(member.name)
                saved = storage.save(member.name, ContentFile(extracted.read()))
                if saved != member.name:
                    raise BackupError(f"{name}: {member.name} was stored as {saved}.")
                if number % 100 == 0 or number == len(members):
                    progress(f"Files {name}: {number}/{len(members)}")
