from django.core.management.base import BaseCommand

from dashboard import rollup


class Command(BaseCommand):
    help = (
        "Count every day before today into the dashboard's roll-up now (the nightly task does "
        "the same); the figures count the days since live."
    )

    def handle(self, *args, **options) -> None:
        state = rollup.rebuild(progress=lambda step: self.stdout.write(f"  {step}"))
        self.stdout.write(
            self.style.SUCCESS(f"Roll-up complete until {state.complete_until} ({state.seconds:.1f} s).")
        )
