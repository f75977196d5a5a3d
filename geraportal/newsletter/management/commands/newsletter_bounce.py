"""Record bounced newsletter addresses, e.g. from the bounce mailbox: `newsletter_bounce a@b.de c@d.de`."""

from django.core.management.base import BaseCommand

from geraportal.newsletter import services as newsletter


class Command(BaseCommand):
    help = "Mark newsletter subscribers whose address bounces; they get no more newsletters."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", help="bounced e-mail addresses")
        parser.add_argument("--reason", default="", help="the reason from the bounce message")

    def handle(self, *args, emails, reason, **options):
        for email in emails:
            try:
                subscriber = newsletter.newsletter_bounce_record(email=email, reason=reason)
            except newsletter.InvalidAddress:
                self.stderr.write(f"Not an e-mail address: {email!r}")
                continue
            if subscriber is None:
                self.stdout.write(f"Not on the list: {email}")
            else:
                self.stdout.write(f"Marked as bounced: {subscriber.email}")
