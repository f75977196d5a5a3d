import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from geraportal.core import demo
from geraportal.notifications.models import Notification, OutboxEmail


class Command(BaseCommand):
    help = "Create demo content for Gera (accounts for every role, and what the apps add). Safe to run twice."

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        quiet = options["verbosity"] == 0
        steps = demo.steps()
        # The steps replay history through the apps' services, which tell followers and
        # authors as they would in real life. Demo history is not news to anybody: whatever
        # the seed recorded for the bell or the outbox is discarded before the one commit,
        # so no e-mail leaves (a queued send finds its row gone and does nothing).
        # Each discarded send is still queued after commit and finds nothing; with eager Celery
        # that is one log line per discarded e-mail, which would bury the progress report.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        with transaction.atomic():
            last_email = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for number, step in enumerate(steps, start=1):
                if not quiet:
                    self.stdout.write(self.style.MIGRATE_HEADING(f"[{number}/{len(steps)}] {step.name}"))
                with transaction.atomic():
                    step.run(
                        (lambda message: None)
                        if quiet
                        else (lambda message: self.stdout.write(f"    {message}"))
                    )
            Notification.objects.filter(pk__gt=last_notification).delete()
            OutboxEmail.objects.filter(pk__gt=last_email).delete()
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo content is ready."))
