"""Backup → restore round trip: a restored empty database holds every idea, ballot, subscriber
and pending e-mail again, and the files come back byte for byte."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from geraportal.core.backup import BackupError, backup_create, backup_restore, files_restore, manifest_check
from geraportal.notifications.models import OutboxEmail
from plenary import services as plenary
from tests.ideas.factories import IdeaFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def empty_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    conninfo = {
        "host": db["HOST"] or "localhost",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name, {**conninfo, "dbname": name}
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _subscriber(email: str):
    from django.apps import apps

    model = next(m for m in apps.get_models() if m.__name__ == "NewsletterSubscriber")
    return model.objects.create(
        email=email, status="confirmed", requested_at=timezone.now(), confirmed_at=timezone.now()
    )


def test_restore_into_an_empty_database_finds_everything_again(tmp_path, empty_database, make_poll, voters):
    ideas = [IdeaFactory(title=f"Radweg an der Elster {n}") for n in range(3)]
    poll = plenary.poll_open(poll=make_poll(voters=voters))
    option = poll.options.first()
    for number, voter in enumerate(voters[:3]):
        plenary.ballot_cast(poll=poll, user=voter, choices={option.pk: 1}, submission_key=f"k{number}")
    _subscriber("leserin@example.org")
    OutboxEmail.objects.create(
        idempotency_key="pending-1", to_email="a@example.org", subject="Hallo", body_text="x"
    )
    storages["default"].save("ideas/foto.jpg", ContentFile(b"\xff\xd8bild"))

    target = tmp_path / "backup"
    lines: list[str] = []
    backup_create(directory=target, progress=lines.append)
    manifest = manifest_check(target)
    assert manifest["database"]["vendor"] == "postgresql"
    assert "files-media.tar" in manifest["files"]
    # Progress is shown (other tests in this process may have left files in the storage too).
    assert any(re.fullmatch(r"Files media: (\d+)/\1", line) for line in lines), lines

    name, conninfo = empty_database
    url = f"postgres://{conninfo['user']}@{conninfo['host']}:{conninfo['port']}/{name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(target)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "geraportal.settings.test"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore finished." in result.stdout

    with psycopg.connect(**conninfo) as restored:
        titles = {row[0] for row in restored.execute("SELECT title FROM ideas_idea")}
        assert {idea.title for idea in ideas} <= titles
        assert restored.execute("SELECT count(*) FROM plenary_voterroll").fetchone()[0] == 3
        tables = {row[0] for row in restored.execute("SELECT tablename FROM pg_tables")}
        subscriber_table = next(t for t in tables if t.endswith("newslettersubscriber"))
        assert restored.execute(f"SELECT email FROM {subscriber_table}").fetchall() == [
            ("leserin@example.org",)
        ]
        assert restored.execute(
            "SELECT status FROM notifications_outboxemail WHERE idempotency_key = 'pending-1'"
        ).fetchone() == ("pending",)

    # The files: gone from the storage, back after the restore, byte for byte.
    storages["default"].delete("ideas/foto.jpg")
    files_restore(directory=target, manifest=manifest, progress=lines.append)
    with storages["default"].open("ideas/foto.jpg", "rb") as handle:
        assert handle.read() == b"\xff\xd8bild"


def test_restore_refuses_a_damaged_backup_and_a_database_that_is_not_empty(tmp_path):
    IdeaFactory()
    target = tmp_path / "backup"
    backup_create(directory=target, progress=lambda line: None)
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(directory=target, progress=lambda line: None)
    (target / "files-media.tar").write_bytes(b"kaputt")
    with pytest.raises(BackupError, match="damaged"):
        manifest_check(target)


def test_the_backup_command_refuses_an_existing_directory(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(tmp_path))
