from django.core.management.base import BaseCommand, CommandError

from api import opendata


class Command(BaseCommand):
    help = "Write the open-data downloads (CSV, JSON, GeoJSON) now, as the nightly task does."

    def handle(self, *args, **options):
        def progress(dataset: str, rows: int) -> None:
            self.stdout.write(f"\r{dataset}: {rows} rows", ending="")
            self.stdout.flush()

        manifest = opendata.dumps_generate(progress=progress)
        self.stdout.write("")
        if manifest is None:
            raise CommandError("Another run is writing the downloads right now; try again later.")
        for entry in manifest["datasets"]:
            self.stdout.write(f"{entry['name']}: {entry['rows']} rows, " + ", ".join(entry["files"]))
        self.stdout.write(self.style.SUCCESS(f"Open-data downloads written at {manifest['generated_at']}."))
