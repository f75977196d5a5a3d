"""One POST to a checked address, with urllib3: no redirects, no retries, a short timeout.

The connection goes to the address `addresses.resolve` checked, never to the name again;
the name travels in the Host header and, for HTTPS, in SNI and the certificate check, so
the receiver sees an ordinary request for its own name. urllib3 reads no proxy settings
from the environment, so no proxy can take the request elsewhere either.
"""

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


def post(target: Target, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body`; an answer with any status, or DeliveryFailed for no answer at all."""
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
