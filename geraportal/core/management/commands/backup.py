from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geraportal.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and every file storage into a new directory, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            help="Where to write the backup (default: var/backups/<date-time>/). Must not exist yet.",
        )

    def handle(self, *args, directory=None, **options):
        target = (
            Path(directory)
            if directory
            else settings.VAR_DIR / "backups" / datetime.now().strftime("%Y-%m-%d-%H%M%S")
        )
        try:
            backup_create(directory=target, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
