"""One POST to a checked address, with urllib3: no redirects, no retries, a short timeout.

Each wait is bounded by WEBHOOK_TIMEOUT_SECONDS and the whole send by twice that (`_Deadline`).
The connection goes to the address `addresses.resolve` checked, never to the name again;
the name travels in the Host header and, for HTTPS, in SNI and the certificate check, so
the receiver sees an ordinary request for its own name. urllib3 reads no proxy settings
from the environment, so no proxy can take the request elsewhere either.
"""

import contextlib
import socket
import threading
from dataclasses import dataclass

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .addresses import Target
from .models import Failure

# Enough of an error answer to show staff what the receiver said; the rest is not read.
MAX_RESPONSE_BYTES = 1024


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


class DeliveryFailed(Exception):
    def __init__(self, failure: str, detail: str, status: int | None = None):
        super().__init__(detail)
        self.failure = failure
        self.detail = detail
        self.status = status


class _Deadline:
    """Cuts the connection when the whole send has taken `seconds`.

    urllib3's timeouts bound each wait for the next bytes, so a receiver that drips its answer
    a byte at a time could hold a worker for minutes (and the sweep would take the send for one
    cut off by a dead worker and start another). The connection class below hands its socket
    to this watchdog, which shuts it down at the deadline; the blocked read then fails at once.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def connection_class(self, base: type) -> type:
        deadline = self

        class Watched(base):
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        return Watched


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def post(target: Target, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body`; an answer with any status, or DeliveryFailed for no answer at all.

    Each wait is bounded by WEBHOOK_TIMEOUT_SECONDS, the whole send by twice that.
    """
    with _Deadline(2 * settings.WEBHOOK_TIMEOUT_SECONDS) as deadline:
        try:
            return _post(target, body=body, headers=headers, deadline=deadline)
        except DeliveryFailed as failed:
            if deadline.expired:
                raise DeliveryFailed(
                    Failure.TIMEOUT, f"no complete answer in time ({failed.detail})"
                ) from None
            raise


def _post(target: Target, *, body: bytes, headers: dict[str, str], deadline: _Deadline) -> Answer:
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT_SECONDS, read=settings.WEBHOOK_TIMEOUT_SECONDS)
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            assert_hostname=target.host,
            server_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=timeout, retries=False, maxsize=1
        )
    pool.ConnectionCls = deadline.connection_class(pool.ConnectionCls)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(MAX_RESPONSE_BYTES, decode_content=False)
        except (ReadTimeoutError, ProtocolError):
            excerpt = b""
        finally:
            response.release_conn()
        return Answer(status=response.status, excerpt=excerpt.decode("utf-8", "replace"))
    except NewConnectionError as error:  # a subclass of ConnectTimeoutError, but no timeout
        raise DeliveryFailed(Failure.CONNECT, _short(error)) from None
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError) as error:
        raise DeliveryFailed(Failure.TIMEOUT, _short(error)) from None
    except SSLError as error:
        raise DeliveryFailed(Failure.TLS, _short(error)) from None
    except (ProtocolError, OSError, urllib3.exceptions.HTTPError) as error:
        raise DeliveryFailed(Failure.CONNECT, _short(error)) from None
    finally:
        pool.close()


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]
