"""A real HTTP receiver on loopback, and settings that let the webhooks reach it."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.webhooks.models import Endpoint
from api.webhooks.signatures import new_secret
from tests.processes import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with `status` (after `delay` seconds) and records what came."""

    port: int
    status: int = 200
    delay: float = 0.0
    location: str = ""
    fail_first: int = 0  # answer 500 to this many requests first
    drip: float = 0.0  # send the answer's headers one byte every `drip` seconds (a slow-drip receiver)
    requests: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/portal"


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            if receiver.delay:
                time.sleep(receiver.delay)
            status = receiver.status
            if receiver.fail_first:
                receiver.fail_first -= 1
                status = 500
            if receiver.drip:
                self._drip(status)
                return
            try:
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up waiting

        do_GET = do_POST

        def _drip(self, status: int) -> None:
            """Each byte arrives well within the read timeout; the whole answer takes long."""
            answer = f"HTTP/1.1 {status} OK\r\nX-Padding: {'x' * 200}\r\nContent-Length: 2\r\n\r\nok"
            try:
                for byte in answer.encode():
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(receiver.drip)
            except OSError:
                pass  # the sender hung up

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    state = Receiver(port=free_port())
    server = ThreadingHTTPServer(("127.0.0.1", state.port), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    """The receiver is on loopback and speaks plain HTTP: both allowed only for its host."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1.0
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    settings.WEBHOOK_MAX_ATTEMPTS = 12
    settings.WEBHOOK_DISABLE_AFTER_DAYS = 3
    settings.SITE_URL = "https://beteiligung.gera.de"
    return settings


def make_endpoint(url: str, events=None, **kwargs) -> Endpoint:
    from api.webhooks.events import EVENTS

    return Endpoint.objects.create(
        url=url, events=list(EVENTS) if events is None else events, secret=new_secret(), **kwargs
    )
