"""Plenary voting over HTTP: many eligible people cast ballots against gunicorn at once (issue 6).

Needs PostgreSQL (BENCH_DATABASE_URL=postgres://...); on SQLite it says so and skips.
BENCH_VOTERS (default 1000; the issue's figure is 5000) people, BENCH_CONCURRENCY (default
200) at a time, each: open the poll page, check the ballot, cast it. Reports throughput,
p50/p95/p99 of the cast request, errors, and the time from closing to the published result.
"""

import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PASSPHRASE = "Bench-Passphrase der Wahlleitung 2026"


def run(report, server=None) -> None:
    """`server`: a function that starts the portal on BENCH_PORT (make bench passes its own)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    if connection.vendor != "postgresql":
        print("    skipped: set BENCH_DATABASE_URL=postgres://... (ballots under load need PostgreSQL)")
        return
    from geraportal.accounts.models import User
    from pilots.models import Pilot
    from plenary import services
    from plenary.models import Attendee, Meeting, Poll, PollOption

    voters_wanted = int(os.environ.get("BENCH_VOTERS", "1000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "200"))
    stamp = int(time.time())
    meeting = Meeting.objects.create(
        title=f"Bench {stamp}", slug=f"bench-{stamp}", starts_at=_now(), place="bench"
    )
    pilots = list(Pilot.objects.public()[:8])
    if len(pilots) < 3:  # a database without the demo pilots
        from workgroups.models import WorkingGroup

        group = WorkingGroup.objects.first()
        pilots = [
            Pilot.objects.create(
                title=f"Vorschlag {stamp}-{i}", slug=f"bench-{stamp}-{i}", summary="…", working_group=group,
                status=Pilot.Status.PROPOSED,
            )
            for i in range(8)
        ]  # fmt: skip
    poll = Poll.objects.create(
        meeting=meeting, title=f"Bench {stamp}", method="approval", max_choices=3, eligibility="attendees"
    )
    for position, pilot in enumerate(pilots):
        PollOption.objects.create(poll=poll, pilot=pilot, position=position)
    print(f"    creating {voters_wanted} voters ...", flush=True)
    users = []
    for start in range(0, voters_wanted, 1000):
        batch = [
            User(email=f"bench{stamp}-{i}@example.org", display_name=f"Bench {i}")
            for i in range(start, min(start + 1000, voters_wanted))
        ]
        users += User.objects.bulk_create(batch)
        print(f"    voters: {len(users)}/{voters_wanted}", flush=True)
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user=u) for u in users], batch_size=1000)
    if poll.secret:  # secret polls are sealed to the officers' passphrase when they open
        poll = services.poll_set_key(poll=poll, passphrase=PASSPHRASE, by=None)
    services.poll_open(poll=poll)
    sessions = []
    for user in users:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    options = list(poll.options.values_list("pk", flat=True))

    port = int(os.environ.get("BENCH_PORT") or _free_port())
    process = server() if server else _gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        print(f"    casting {len(sessions)} ballots, {concurrency} at a time ...", flush=True)
        # The clients run in several processes: one Python process with hundreds of threads
        # measures its own GIL, not the server.
        from django.db import connections

        connections.close_all()
        processes = min(4, concurrency)
        chunks = [list(range(len(sessions)))[k::processes] for k in range(processes)]
        started = time.perf_counter()
        with ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context("fork")
        ) as pool:
            parts = pool.map(
                _vote_many,
                [(base, poll.pk, [sessions[i] for i in chunk], options, chunk, concurrency // processes)
                 for chunk in chunks],
            )  # fmt: skip
            outcomes = [outcome for part in parts for outcome in part]
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(20)
    latencies = sorted(o[1] for o in outcomes if o[0] == "ok")
    errors = [o for o in outcomes if o[0] != "ok"]
    began = time.perf_counter()
    poll = services.poll_close(poll=poll)
    if poll.awaits_count:
        services.poll_count(poll=poll, passphrase=PASSPHRASE, by=None)
    result = services.poll_publish(poll=Poll.objects.get(pk=poll.pk), by=None)
    publish_seconds = time.perf_counter() - began

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")
        )

    print(f"    ballots counted: {result.ballots} of {len(sessions)}; errors: {len(errors)}")
    if errors:
        print(f"    first errors: {errors[:3]}")
    print(f"    throughput: {len(sessions) / elapsed:.0f} voters/s (3 requests each) in {elapsed:.1f}s")
    if latencies:
        print(
            f"    cast request: p50 {statistics.median(latencies) * 1000:.0f}ms, p95 {pct(0.95):.0f}ms, "
            f"p99 {pct(0.99):.0f}ms"
        )
    print(f"    close → published result: {publish_seconds * 1000:.0f}ms")


def _now():
    from django.utils import timezone

    return timezone.now()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_DEBUG": "False"}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "geraportal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "4",
         "--threads", "8", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "geraportal.settings.dev"},
    )  # fmt: skip


def _wait_for(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/plenary/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="submission_key" value="([^"]+)"')
CONFIRMATION_INPUT = re.compile(r'name="confirmation" value="([^"]+)"')


def _vote_many(job) -> list:
    base, poll_id, session_keys, options, numbers, threads = job
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        return list(
            pool.map(
                lambda pair: _vote(base, poll_id, pair[0], options, pair[1]),
                zip(session_keys, numbers, strict=True),
            )
        )


def _vote(base: str, poll_id: int, session_key: str, options: list[int], number: int):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    url = f"{base}/plenary/abstimmungen/{poll_id}/"
    try:
        page = opener.open(url, timeout=30).read().decode()
        token = CSRF_INPUT.search(page).group(1)
        csrf_cookie = next(c.value for c in jar if c.name == "csrftoken")
        opener.addheaders = [
            ("Cookie", f"sessionid={session_key}; csrftoken={csrf_cookie}"),
            ("Referer", url),
        ]
        ticks = {f"option_{options[(number + k) % len(options)]}": "on" for k in range(3)}
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **ticks}).encode()
        confirm = opener.open(f"{url}pruefen/", data=data, timeout=30).read().decode()
        key = KEY_INPUT.search(confirm).group(1)
        confirmation = CONFIRMATION_INPUT.search(confirm).group(1)
        fields = {"csrfmiddlewaretoken": token, "submission_key": key, "confirmation": confirmation}
        data = urllib.parse.urlencode({**fields, **dict.fromkeys(ticks, "True")}).encode()
        started = time.perf_counter()
        answer = opener.open(f"{url}abgeben/", data=data, timeout=30)
        answer.read()
        return ("ok", time.perf_counter() - started)
    except Exception as error:  # reported, not raised: errors are part of the measurement
        return ("error", repr(error)[:200])
