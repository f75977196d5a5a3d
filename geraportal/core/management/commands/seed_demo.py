from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from geraportal.core import demo


class Command(BaseCommand):
    help = "Create demo content for Gera (accounts for every role, and what the apps add). Safe to run twice."

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        quiet = options["verbosity"] == 0
        steps = demo.steps()
        for number, step in enumerate(steps, start=1):
            if not quiet:
                self.stdout.write(self.style.MIGRATE_HEADING(f"[{number}/{len(steps)}] {step.name}"))
            with transaction.atomic():
                step.run(
                    (lambda message: None) if quiet else (lambda message: self.stdout.write(f"    {message}"))
                )
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo content is ready."))
