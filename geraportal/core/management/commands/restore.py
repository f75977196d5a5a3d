from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geraportal.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and the file storages."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup directory (with manifest.json).")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite a database that is not empty (drops its tables)."
        )

    def handle(self, *args, directory, force=False, **options):
        try:
            backup_restore(directory=Path(directory), progress=self.stdout.write, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
