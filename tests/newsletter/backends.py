"""E-mail backends for tests: a server that refuses some recipients, like a real one would."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

REFUSED = {"gibtsnicht@example.org": (550, b"5.1.1 User unknown")}
GREYLISTED = {"spaeter@example.org": (450, b"4.2.0 Greylisted, try again later")}

opened = []


class RefusingBackend(LocmemBackend):
    """Like locmem, but refuses REFUSED (permanently) and GREYLISTED (temporarily) addresses."""

    def open(self):
        opened.append(self)
        return True

    def close(self):
        return None

    def send_messages(self, messages):
        for message in messages:
            refused = {
                a: REFUSED.get(a) or GREYLISTED.get(a) for a in message.to if a in REFUSED or a in GREYLISTED
            }
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return super().send_messages(messages)


def sent_to() -> list[str]:
    return [address for message in mail.outbox for address in message.to]
