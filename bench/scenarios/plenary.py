"""Plenary burst over HTTP: eligible voters with the ballot checked submit in the same second (issue 16).

Needs PostgreSQL (BENCH_DATABASE_URL=postgres://...); on SQLite it says so and skips.
BENCH_VOTERS people (default 1000; `make bench` uses 500) on a secret poll sealed to a
passphrase. Two phases, reported apart:

1. every voter opens the poll page and checks the ballot (the confirmation step),
   BENCH_CONCURRENCY voters at a time: what the page and the check cost under load;
2. once all are on the confirmation page, every client thread in every client process is
   released at the same moment (a barrier) and casts: p50/p95/p99 of the cast request (the
   POST, answered with the receipt page, read to its last byte) and errors.

Standalone (`python -m bench --only plenary`) it starts gunicorn as `make bench` does
(gunicorn.conf.py, production settings, BENCH_REDIS_URL, BENCH_PORT).
"""

import multiprocessing
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
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
    process = server() if server else _standalone_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        # The clients run in several processes: one Python process with hundreds of threads
        # measures its own GIL, not the server.
        from django.db import connections

        connections.close_all()
        outcomes, released, prepared_in = _burst(base, poll.pk, sessions, options, concurrency)
    finally:
        _stop(process)
    began = time.perf_counter()
    poll = services.poll_close(poll=poll)
    if poll.awaits_count:
        services.poll_count(poll=poll, passphrase=PASSPHRASE, by=None)
    result = services.poll_publish(poll=Poll.objects.get(pk=poll.pk), by=None)
    publish_seconds = time.perf_counter() - began
    _report(outcomes, released, prepared_in, counted=result.ballots, concurrency=concurrency)
    print(f"    close → published result: {publish_seconds * 1000:.0f}ms")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def _line(label: str, values: list[float]) -> str:
    return (
        f"    {label:<34} p50 {_pct(values, 0.5):>6.0f}ms  p95 {_pct(values, 0.95):>6.0f}ms  "
        f"p99 {_pct(values, 0.99):>6.0f}ms  max {_pct(values, 1.0):>6.0f}ms"
    )


def _report(
    outcomes: list[dict], released: float, prepared_in: float, *, counted: int, concurrency: int
) -> None:
    voters = len(outcomes)
    prepare_errors = [o["prepare_error"] for o in outcomes if "prepare_error" in o]
    cast = [o for o in outcomes if "prepare_error" not in o]
    cast_ok = [o for o in cast if "cast_error" not in o]
    cast_errors = [o["cast_error"] for o in cast if "cast_error" in o]
    print(f"    ballots counted: {counted} of {voters}")
    print(
        f"    phase 1, open the page and check the ballot ({concurrency} voters at a time, not the "
        f"burst): {voters - len(prepare_errors)} of {voters} ready in {prepared_in:.1f}s, "
        f"errors {len(prepare_errors)}"
    )
    print(_line("poll page (GET)", [o["page"] for o in outcomes if "page" in o]))
    print(_line("check the ballot (POST)", [o["check"] for o in outcomes if "check" in o]))
    if prepare_errors:
        print(f"    first errors: {prepare_errors[:3]}")
    if not cast:
        return
    sent = [o["sent"] - released for o in cast]
    done = max((o["done"] for o in cast_ok), default=released) - released
    print(
        f"    phase 2, the burst: {len(cast)} casts released at once (all sent within "
        f"{max(sent) * 1000:.0f}ms of the release), all answered {done:.1f}s after it "
        f"({len(cast_ok) / done if done else 0:.0f} casts/s); errors: {len(cast_errors)}"
    )
    print(_line("cast (POST, answered with the receipt)", [o["cast"] for o in cast_ok]))
    if cast_errors:
        print(f"    first errors: {cast_errors[:3]}")
    casts = [o["cast"] for o in cast_ok]
    print(
        f"    cast request: p50 {_pct(casts, 0.5):.0f}ms, p95 {_pct(casts, 0.95):.0f}ms, "
        f"p99 {_pct(casts, 0.99):.0f}ms, errors {len(cast_errors)}"
    )


def _burst(base: str, poll_id: int, sessions: list[str], options: list[int], concurrency: int):
    """Phase 1 in every client process, a barrier across them, then phase 2 at one moment."""
    context = multiprocessing.get_context("fork")
    processes = max(1, min(4, len(sessions)))
    ready = context.Barrier(processes + 1)
    go = context.Event()
    results = context.Queue()
    workers = []
    for k in range(processes):
        numbers = list(range(len(sessions)))[k::processes]
        job = (
            base,
            poll_id,
            [sessions[i] for i in numbers],
            options,
            numbers,
            max(1, concurrency // processes),
        )
        workers.append(context.Process(target=_client, args=(job, ready, go, results)))
    started = time.perf_counter()
    print(f"    phase 1: {len(sessions)} voters open the poll and check their ballot ...", flush=True)
    for worker in workers:
        worker.start()
    ready.wait(timeout=600)
    prepared_in = time.perf_counter() - started
    print(f"    phase 2: {len(sessions)} casts released at once ...", flush=True)
    time.sleep(0.5)  # let the server's threads go idle after phase 1
    released = time.time()
    go.set()
    outcomes = [outcome for _ in workers for outcome in results.get(timeout=600)]
    for worker in workers:
        worker.join(30)
    return outcomes, released, prepared_in


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def _now():
    from django.utils import timezone

    return timezone.now()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _standalone_gunicorn(port: int) -> subprocess.Popen:
    """gunicorn as `make bench` starts it (bench/city.py), on the scenario's database."""
    from django.conf import settings

    from bench import city

    env = city._server_env(
        os.environ["DATABASE_URL"], os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    )
    env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY  # the sessions made here must be valid there
    print("    collecting static files (production settings) ...", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env,
        check=True,
    )  # fmt: skip
    return city.start_gunicorn(env, port)


def _wait_for(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRMATION_INPUT = re.compile(r'name="confirmation" value="([^"]+)"')


def _client(job, ready, go, results) -> None:
    """One client process: a thread per voter; phase 1 at `threads` at a time, then wait for `go`."""
    base, poll_id, session_keys, options, numbers, threads = job
    gate = threading.Semaphore(threads)
    local_go = threading.Event()
    outcomes: list[dict] = [{} for _ in session_keys]
    prepared = threading.Barrier(len(session_keys) + 1)

    def voter(i: int) -> None:
        with gate:
            state = _prepare(base, poll_id, session_keys[i], options, numbers[i], outcomes[i])
        prepared.wait()
        local_go.wait()
        if state is not None:
            _cast(state, outcomes[i])

    pool = [threading.Thread(target=voter, args=(i,), daemon=True) for i in range(len(session_keys))]
    for thread in pool:
        thread.start()
    prepared.wait()
    ready.wait()
    go.wait()
    local_go.set()
    for thread in pool:
        thread.join()
    results.put(outcomes)


def _prepare(base: str, poll_id: int, session_key: str, options: list[int], number: int, out: dict):
    """Open the poll page and check the ballot; returns what the cast needs (or None)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    url = f"{base}/plenary/abstimmungen/{poll_id}/"
    try:
        started = time.perf_counter()
        page = opener.open(url, timeout=60).read().decode()
        out["page"] = time.perf_counter() - started
        token = CSRF_INPUT.search(page).group(1)
        csrf_cookie = next(c.value for c in jar if c.name == "csrftoken")
        cookie = f"sessionid={session_key}; csrftoken={csrf_cookie}"
        opener.addheaders = [("Cookie", cookie), ("Referer", url)]
        ticks = {f"option_{options[(number + k) % len(options)]}": "on" for k in range(3)}
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **ticks}).encode()
        started = time.perf_counter()
        confirm = opener.open(f"{url}pruefen/", data=data, timeout=60).read().decode()
        out["check"] = time.perf_counter() - started
        confirmation = CONFIRMATION_INPUT.search(confirm).group(1)
    except Exception as error:  # reported, not raised: errors are part of the measurement
        out["prepare_error"] = repr(error)[:200]
        return None
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "confirmation": confirmation}).encode()
    return {"address": urllib.parse.urlsplit(base), "request": _raw_post(f"{url}abgeben/", cookie, url, data)}


def _raw_post(url: str, cookie: str, referer: str, data: bytes) -> bytes:
    """The cast's HTTP request, built before the burst: in the burst second the client only
    connects, sends these bytes and reads. The clients share the server's two cores, and
    urllib's request building cost them about a fifth of the burst's CPU; the voters' phones
    are not on the server."""
    parts = urllib.parse.urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nCookie: {cookie}\r\nReferer: {referer}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + data


def _cast(state: dict, out: dict) -> None:
    """The cast answers with the receipt page (no redirect to follow): timed to its last byte."""
    address = state["address"]
    out["sent"] = time.time()
    started = time.perf_counter()
    try:
        with socket.create_connection((address.hostname, address.port or 80), timeout=60) as connection:
            connection.sendall(state["request"])
            chunks = []
            while chunk := connection.recv(65536):  # Connection: close, so the answer ends at EOF
                chunks.append(chunk)
        out["cast"] = time.perf_counter() - started
        out["done"] = time.time()
        answer = b"".join(chunks)
        status = answer[: answer.find(b"\r\n")].decode("latin-1")
        page = answer.decode("utf-8", "replace")
        if " 200 " not in status:
            out["cast_error"] = status[:200]
        elif "Stimmzettel wurde gezählt" not in page and "ballot has been counted" not in page:
            out["cast_error"] = "the answer shows no receipt"
    except Exception as error:  # reported, not raised: errors are part of the measurement
        out["cast_error"] = repr(error)[:200]
