"""E-mail delivery with the real parts: a Redis broker, a Celery worker process, an SMTP server.

Each test starts its own Redis (so it can stop it), its own SMTP server (aiosmtpd, on a free
port) and a Celery worker process that shares the test's PostgreSQL database. PostgreSQL is
needed because a second process must see the committed rows.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction

from geraportal.notifications import services
from geraportal.notifications.models import Notification, NotificationEvent, OutboxEmail
from ideas.notifications import IDEA_STATUS
from tests.accounts.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float = 30, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


class RecordingHandler:
    """An SMTP server that accepts mail, optionally refusing or stalling at first."""

    def __init__(self):
        self.messages = []
        self.refuse = 0
        self.stall_seconds = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        if self.stall_seconds:
            delay, self.stall_seconds = self.stall_seconds, 0.0
            await asyncio.sleep(delay)
            # A real mail server does not take a message whose sender never heard "250".
            if server.transport is None or server.transport.is_closing():
                return "421 connection lost"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


class RedisServer:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        wait_for(lambda: not self._answers(), 10, "redis to stop")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Worker:
    def __init__(self, *, redis_url: str, smtp_port: int, log: Path):
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
            "OUTBOX_STUCK_AFTER_SECONDS": "3",
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
        wait_for(lambda: "ready." in self.log.read_text(), 60, f"the worker (log: {self.log})")

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
    wait_for(lambda: len(handler.messages) == 1, 30, "the e-mail")
    time.sleep(2)
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
    wait_for(lambda: len(handler.messages) == 40, 60, "forty e-mails")
    fan_out_event.delay(event.pk)  # a redelivered task: nothing more may go out
    time.sleep(3)
    assert sorted(m["To"] for m in handler.messages) == sorted(p.email for p in people)
    assert Notification.objects.filter(event_key="idea.status:many").count() == 40
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 40


def test_a_refusing_smtp_server_still_gets_the_email_exactly_once(smtp, worker, web_uses_broker):
    _, handler = smtp
    handler.refuse = 2
    an_event(UserFactory())
    wait_for(lambda: len(handler.messages) == 1, 60, "the e-mail after two refusals")
    time.sleep(2)
    assert len(handler.messages) == 1
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 3)


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(smtp, worker, web_uses_broker):
    from geraportal.notifications.tasks import sweep_outbox

    _, handler = smtp
    handler.stall_seconds = 4
    an_event(UserFactory())
    wait_for(lambda: OutboxEmail.objects.filter(status="sending").exists(), 30, "the send to start")
    worker.kill()
    time.sleep(4.5)  # the stalled server notices the lost client and takes nothing
    assert handler.messages == []
    worker.start()
    time.sleep(3)  # the cut-off send counts as stuck after OUTBOX_STUCK_AFTER_SECONDS
    sweep_outbox.delay()  # what beat does every few minutes
    wait_for(lambda: len(handler.messages) == 1, 30, "the e-mail after the restart")
    time.sleep(2)
    assert len(handler.messages) == 1
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


def test_with_redis_down_the_event_succeeds_and_the_email_follows_later(
    smtp, redis_server, worker, web_uses_broker
):
    from geraportal.notifications.tasks import sweep_events, sweep_outbox

    _, handler = smtp
    redis_server.stop()
    started = time.monotonic()
    an_event(UserFactory())  # must neither fail nor hang
    assert time.monotonic() - started < 15
    # The event is recorded; its fan-out could not be queued and waits for the sweep.
    assert NotificationEvent.objects.get().fanned_out_at is None
    assert not OutboxEmail.objects.exists()
    redis_server.start()
    web_uses_broker._pool = None
    web_uses_broker.amqp._producer_pool = None
    sweep_events.delay(min_age_seconds=0)  # what beat does every minute
    wait_for(lambda: OutboxEmail.objects.exists(), 60, "the fan-out after Redis is back")
    sweep_outbox.delay()
    wait_for(lambda: len(handler.messages) == 1, 60, "the e-mail after Redis is back")
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT
