import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from geraportal.core import demo
from geraportal.notifications.models import OutboxEmail
from geraportal.notifications.services import muted


class Command(BaseCommand):
    help = "Create demo content for Gera (accounts for every role, and what the apps add). Safe to run twice."

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        quiet = options["verbosity"] == 0
        steps = demo.steps()
        # The steps replay history through the apps' services, which tell followers and
        # authors as they would in real life. Demo history is not news to anybody: inside
        # `muted()` no notification event is recorded, and whatever else the seed put in the
        # outbox (invitations, confirmations) is discarded before the one commit, so no e-mail
        # leaves (a queued send finds its row gone and does nothing). Such a discarded send
        # still logs a line with eager Celery, which would bury the progress report.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        with transaction.atomic(), muted():
            last_email = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for number, step in enumerate(steps, start=1):
                if not quiet:
                    self.stdout.write(self.style.MIGRATE_HEADING(f"[{number}/{len(steps)}] {step.name}"))
                with transaction.atomic():
                    step.run(
                        (lambda message: None)
                        if quiet
                        else (lambda message: self.stdout.write(f"    {message}"))
                    )
            OutboxEmail.objects.filter(pk__gt=last_email).delete()
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo content is ready."))
