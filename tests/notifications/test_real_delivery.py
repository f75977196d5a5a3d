"""E-mail delivery with the real parts: a Redis broker, a Celery worker process, an SMTP server.

Each test starts its own Redis (so it can stop it), its own SMTP server (aiosmtpd, on a free
port) and a Celery worker process that shares the test's PostgreSQL database. PostgreSQL is
needed because a second process must see the committed rows.
"""

import asyncio
import os
import signal
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.utils import timezone

from geraportal.notifications import services
from geraportal.notifications.models import Notification, NotificationEvent, OutboxEmail
from ideas.notifications import IDEA_STATUS
from tests.accounts.factories import UserFactory
from tests.processes import free_port
from tests.waiting import finishes, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

ROOT = Path(__file__).resolve().parents[2]


class RecordingHandler:
    """An SMTP server that accepts mail, optionally refusing or stalling at first."""

    def __init__(self):
        self.messages = []
        self.refuse = 0
        self.stall_seconds = 0.0
        self.stall_after = 0  # stall only once this many messages were taken
        self.stalling = False
        self.stalls_over = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        stalled = bool(self.stall_seconds) and len(self.messages) >= self.stall_after
        try:
            if stalled:
                delay, self.stall_seconds = self.stall_seconds, 0.0
                self.stalling = True
                await asyncio.sleep(delay)
                # A real mail server does not take a message whose sender never heard "250".
                if server.transport is None or server.transport.is_closing():
                    return "421 connection lost"
            self.messages.append(message_from_bytes(envelope.content))
            return "250 OK"
        finally:
            if stalled:  # counted once the stalled conversation has decided, for tests to wait on
                self.stalls_over += 1


@pytest.fixture
def smtp():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


class Worker:
    def __init__(self, *, redis_url: str, smtp_port: int, log: Path, email_timeout: int = 10):
        db = connection.settings_dict
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
            "DJANGO_SETTINGS_MODULE": "geraportal.settings.test",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            # The SMTP timeout stays below the stuck-after limit, as in production (a system check
            # insists there). Long enough by default that a test can kill the worker while it
            # waits for a stalled server, before the worker gives up by itself.
            "EMAIL_TIMEOUT": str(email_timeout),
            "OUTBOX_STUCK_AFTER_SECONDS": str(email_timeout + 2),
            "NEWSLETTER_RESUME_AFTER_SECONDS": "2",
            "NEWSLETTER_BATCH_SIZE": "200",
        }
        self.log = log
        self.process = None

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "geraportal",
                "worker",
                "-P",
                "solo",
                "-c",
                "1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: "ready." in self.log.read_text(), timeout=60, message=f"the worker (log: {self.log})"
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(redis_server, smtp, tmp_path):
    w = Worker(redis_url=redis_server.url, smtp_port=smtp[0].port, log=tmp_path / "worker.log")
    w.start()
    yield w
    w.stop()


@pytest.fixture
def impatient_worker(redis_server, smtp, tmp_path):
    """A worker whose SMTP timeout (2 s) is shorter than the stalled server's silence."""
    w = Worker(
        redis_url=redis_server.url, smtp_port=smtp[0].port, log=tmp_path / "worker.log", email_timeout=2
    )
    w.start()
    yield w
    w.stop()


@pytest.fixture
def web_uses_broker(redis_server):
    """This test process (the 'web' side) queues tasks on the test's Redis instead of eagerly."""
    from geraportal.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = redis_server.url
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    yield app
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


def an_event(recipient, key="idea.status:1:1") -> None:
    """An idea status change as the ideas app records it: the event and its notification."""
    with transaction.atomic():
        services.notify(
            kind=IDEA_STATUS,
            recipients=[recipient],
            event_key=key,
            template="tests/notifications/sample",
            context={"title": "Trinkbrunnen am Markt"},
            url="/ideas/",
        )


def test_an_event_reaches_the_smtp_server_exactly_once(smtp, worker, web_uses_broker):
    _, handler = smtp
    anna = UserFactory(email="anna@example.org")
    an_event(anna)
    wait_until(lambda: len(handler.messages) == 1, timeout=30, message="the e-mail")
    # The row is final once marked sent; a second e-mail would need a second claim of the row.
    wait_until(
        lambda: OutboxEmail.objects.get().status == OutboxEmail.Status.SENT,
        timeout=30,
        message="the row marked sent",
    )
    assert len(handler.messages) == 1
    assert handler.messages[0]["To"] == "anna@example.org"
    assert "Trinkbrunnen am Markt" in handler.messages[0]["Subject"]
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


def test_one_event_for_many_people_reaches_each_exactly_once_through_the_worker(
    smtp, worker, web_uses_broker
):
    from geraportal.notifications.tasks import fan_out_event

    _, handler = smtp
    people = [UserFactory(email=f"leser{n}@example.org") for n in range(40)]
    with transaction.atomic():
        event = services.notify(
            kind=IDEA_STATUS,
            recipients=people,
            event_key="idea.status:many",
            template="tests/notifications/sample",
            context={"title": "Trinkbrunnen am Markt"},
            url="/ideas/",
        )
    wait_until(lambda: len(handler.messages) == 40, timeout=60, message="forty e-mails")
    again = fan_out_event.delay(event.pk)  # a redelivered task: nothing more may go out
    wait_until(
        lambda: f"[{again.id}] succeeded" in worker.log.read_text(),
        timeout=60,
        message="the redelivered fan-out to finish",
    )
    wait_until(lambda: not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists(), timeout=60)
    assert sorted(m["To"] for m in handler.messages) == sorted(p.email for p in people)
    assert Notification.objects.filter(event_key="idea.status:many").count() == 40
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 40


def test_a_refusing_smtp_server_still_gets_the_email_exactly_once(smtp, worker, web_uses_broker):
    _, handler = smtp
    handler.refuse = 2
    an_event(UserFactory())
    wait_until(lambda: len(handler.messages) == 1, timeout=60, message="the e-mail after two refusals")
    # The row is final once marked sent; a second e-mail would need a second claim of the row.
    wait_until(
        lambda: OutboxEmail.objects.get().status == OutboxEmail.Status.SENT,
        timeout=30,
        message="the row marked sent",
    )
    assert len(handler.messages) == 1
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 3)
    # One Celery retry per refusal: a task never wakes before its row is due.
    assert worker.log.read_text().count("Retry in") == 2


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(smtp, worker, web_uses_broker):
    from geraportal.notifications.tasks import sweep_outbox

    _, handler = smtp
    handler.stall_seconds = 4
    an_event(UserFactory())
    wait_until(
        lambda: OutboxEmail.objects.filter(status="sending").exists(), timeout=30, message="the send to start"
    )
    # Killed inside the message, not before it: "sending" is written before the worker connects,
    # and a kill during the greeting would leave the server nothing to stall on.
    wait_until(lambda: handler.stalling, timeout=30, message="the server to hold the message")
    worker.kill()
    # The stalled server notices the lost client and takes nothing.
    wait_until(lambda: handler.stalls_over == 1, timeout=30, message="the stalled SMTP conversation to end")
    assert handler.messages == []
    worker.start()
    # The cut-off send counts as stuck after OUTBOX_STUCK_AFTER_SECONDS.
    wait_until(
        lambda: OutboxEmail.objects.filter(status="sending", next_attempt_at__lte=timezone.now()).exists(),
        timeout=30,
        message="the cut-off send to count as stuck",
    )
    sweep_outbox.delay()  # what beat does every few minutes
    wait_until(lambda: len(handler.messages) == 1, timeout=30, message="the e-mail after the restart")
    # The row is final once marked sent; a second e-mail would need a second claim of the row.
    wait_until(
        lambda: OutboxEmail.objects.get().status == OutboxEmail.Status.SENT,
        timeout=30,
        message="the row marked sent",
    )
    assert len(handler.messages) == 1
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


def test_with_redis_down_the_event_succeeds_and_the_email_follows_later(
    smtp, redis_server, worker, web_uses_broker
):
    from geraportal.notifications.tasks import sweep_events, sweep_outbox

    _, handler = smtp
    redis_server.stop()
    person = UserFactory()
    finishes(lambda: an_event(person), timeout=60, message="recording an event with Redis down")
    # The event is recorded; its fan-out could not be queued and waits for the sweep.
    assert NotificationEvent.objects.get().fanned_out_at is None
    assert not OutboxEmail.objects.exists()
    redis_server.start()
    web_uses_broker._pool = None
    web_uses_broker.amqp._producer_pool = None
    sweep_events.delay(min_age_seconds=0)  # what beat does every minute
    wait_until(lambda: OutboxEmail.objects.exists(), timeout=60, message="the fan-out after Redis is back")
    sweep_outbox.delay()
    wait_until(lambda: len(handler.messages) == 1, timeout=60, message="the e-mail after Redis is back")
    # The server has the mail a moment before the worker marks its row sent.
    wait_until(
        lambda: OutboxEmail.objects.get().status == OutboxEmail.Status.SENT,
        timeout=30,
        message="the row marked sent",
    )
    assert len(handler.messages) == 1


@pytest.mark.faults
def test_a_stalling_smtp_server_gets_each_email_once_and_blocks_no_worker(
    smtp, impatient_worker, web_uses_broker
):
    """The server answers the first DATA only after 8 s; EMAIL_TIMEOUT (2 s) gives up first,
    the server takes nothing from a client that left, and the retry delivers it once."""
    _, handler = smtp
    handler.stall_seconds = 8
    first, second = UserFactory(email="erste@example.org"), UserFactory(email="zweite@example.org")
    an_event(first, key="idea.status:1:1")
    an_event(second, key="idea.status:1:2")  # not held up behind the stalled conversation
    wait_until(lambda: len(handler.messages) == 2, timeout=60, message="both e-mails")
    wait_until(lambda: handler.stalls_over == 1, timeout=30, message="the stalled conversation to end")
    wait_until(
        lambda: not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists(),
        timeout=30,
        message="both rows marked sent",
    )
    assert sorted(m["To"] for m in handler.messages) == ["erste@example.org", "zweite@example.org"]


@pytest.mark.faults
def test_a_worker_killed_during_a_newsletter_loses_no_mail_and_sends_none_twice(
    smtp, worker, web_uses_broker, team_member
):
    from geraportal.newsletter import services as newsletter
    from geraportal.newsletter.models import NewsletterIssue, NewsletterSubscriber
    from geraportal.newsletter.tasks import newsletter_resume
    from geraportal.notifications.tasks import sweep_outbox

    _, handler = smtp
    now = timezone.now()
    NewsletterSubscriber.objects.bulk_create(
        NewsletterSubscriber(
            email=f"leserin{n:04d}@example.org", status="confirmed", requested_at=now, confirmed_at=now
        )
        for n in range(2000)
    )
    issue = NewsletterIssue.objects.create(subject="Neues aus der Smart City", intro="Hallo Gera!")
    # The kill lands while the worker waits for the server's answer (not in the instant after it).
    handler.stall_after, handler.stall_seconds = 500, 6
    with transaction.atomic():
        newsletter.issue_send(issue=issue, by=team_member)
    wait_until(lambda: handler.stalling, timeout=120, message="500 e-mails, then the stalled one")
    worker.kill()
    wait_until(lambda: handler.stalls_over == 1, timeout=30, message="the cut-off conversation to end")
    worker.start()

    def all_sent() -> bool:
        newsletter_resume.delay()  # what beat does every minute
        sweep_outbox.delay()
        return len(handler.messages) >= 2000

    wait_until(all_sent, timeout=240, message="all 2,000 e-mails after the restart", interval=2)
    recipients = [m["To"] for m in handler.messages]
    assert len(recipients) == len(set(recipients)) == 2000
