"""The PostgreSQL connection drops (a restart, a failover, an idle timeout on the way) under a
real gunicorn process that keeps its connection between requests, as production does."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.processes import free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _admin():
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
    )


def _drop_the_servers_connections() -> int:
    """Terminate the server's database sessions and wait until they are really gone."""
    own = connection.connection.info.backend_pid if connection.connection else 0
    with _admin() as admin:
        pids = [
            pid
            for (pid,) in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND pid <> %s",
                [own],
            )
        ]
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])

        def gone() -> bool:
            alive = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
            return alive.fetchone()[0] == 0

        wait_until(gone, timeout=10, message="the terminated sessions to end")
    return len(pids)


@pytest.fixture
def server(tmp_path, request):
    health_checks = request.param
    db = connection.settings_dict
    port = free_port()
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "geraportal.settings.test",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DATABASE_CONN_HEALTH_CHECKS": "true" if health_checks else "false",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        # One worker with one thread: one connection to drop. (gunicorn reads gunicorn.conf.py,
        # whose threads each keep a connection of their own; without health checks each of them
        # would fail one request after the drop — CI met a second thread's dead connection.)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "geraportal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(base), timeout=60, message="gunicorn to answer")
    yield base
    process.terminate()
    process.wait(15)


def _answers(base: str) -> bool:
    try:
        return _get(base + "/healthz")[0] == 200
    except OSError:
        return False


@pytest.mark.parametrize("server", [False], indirect=True)
def test_without_health_checks_the_request_that_meets_it_fails_cleanly_and_the_next_works(server, tmp_path):
    assert _get(server + "/ideas/")[0] == 200
    assert _drop_the_servers_connections() >= 1
    status, page = _get(server + "/ideas/")
    # The request that meets the dead connection fails (at most that one), with the portal's
    # own page and no traceback; the connection is then dropped and the next request works.
    assert status in (200, 500)
    if status == 500:
        assert "SMARTCity Gera" in page and "Traceback" not in page
    log = tmp_path / "gunicorn.log"
    for _ in range(2):
        assert _get(server + "/ideas/")[0] == 200, (
            f"first after the drop: {status}; server log:\n{log.read_text()[-4000:]}"
        )


@pytest.mark.parametrize("server", [True], indirect=True)
def test_with_health_checks_as_in_production_no_request_fails(server):
    assert _get(server + "/ideas/")[0] == 200
    assert _drop_the_servers_connections() >= 1
    assert _get(server + "/ideas/")[0] == 200
