"""The ballot path leaves no client address in the access log."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def client_address_logged(path: str) -> str:
    logger = runpy.run_path(str(CONF))["BallotPrivacyLogger"](Config())
    environ = {
        "REMOTE_ADDR": "203.0.113.9",
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    return logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(0))["h"]


def test_casting_a_ballot_logs_no_client_address():
    assert client_address_logged("/plenary/abstimmungen/3/abgeben/") == "-"
    assert client_address_logged("/plenary/abstimmungen/3/pruefen/") == "-"
    assert client_address_logged("/ideas/") == "203.0.113.9"  # elsewhere the log is as before
