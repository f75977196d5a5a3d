"""How a delivery is signed: HMAC-SHA256 over `timestamp + "." + body` with the endpoint's secret.

The timestamp is signed with the body so a receiver can refuse replays: it checks the
signature and that the timestamp is within five minutes of its clock (see docs/webhooks.md).
"""

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of `X-Geraportal-Signature`: `sha256=<hex>`."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(*, secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret=secret, timestamp=timestamp, body=body), signature)
