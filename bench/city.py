"""`make bench`: the portal at city scale, served as in production, measured against /healthz.

Needs PostgreSQL, Redis and wrk on this machine (it checks and says how to get them):
- seeds a database of its own (BENCH_DATABASE_URL, default geraportal_bench on 127.0.0.1,
  dropped and created afresh) with COPY: people, ideas with varied German-looking text,
  comments (one idea with 500), supports, working-group threads and posts, pilots and updates;
- starts gunicorn (gunicorn.conf.py, production settings, Redis database BENCH_REDIS_URL) on
  BENCH_PORT, and drives each page with wrk, each run followed by /healthz in the same run,
  three rounds: the ratio page/healthz survives a noisy machine;
- measures the growth 5,000 → 50,000 ideas, the plenary burst and the newsletter (its own
  Celery workers, beat and SMTP sink), and writes bench/results/<date>.md, .json and .svg.

BENCH_SCALE=small runs every step on a hundredth of the data in seconds (the smoke test).
"""

import datetime
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

FULL = {
    "users": 25_000,
    "ideas": 50_000,
    "growth_from": 5_000,
    "comments": 250_000,
    "busy_comments": 500,
    "supports": 500_000,
    "threads": 2_000,
    "posts": 20_000,
    "pilots": 60,
    "updates": 600,
    "voters": 500,
    "subscribers": 20_000,
    "duration": 3,
    "rounds": 3,
}
SMALL = {
    "users": 300,
    "ideas": 500,
    "growth_from": 50,
    "comments": 2_500,
    "busy_comments": 60,
    "supports": 3_000,
    "threads": 20,
    "posts": 200,
    "pilots": 6,
    "updates": 30,
    "voters": 20,
    "subscribers": 100,
    "duration": 1,
    "rounds": 1,
}

# --- German-looking text with a realistic spread of word frequencies ------------------------
_STEMS = [
    "stadt",
    "bahn",
    "rad",
    "weg",
    "platz",
    "park",
    "baum",
    "schul",
    "markt",
    "haus",
    "wasser",
    "licht",
    "strom",
    "wärme",
    "bus",
    "bürger",
    "daten",
    "netz",
    "kultur",
    "sport",
    "jugend",
    "senior",
    "kinder",
    "garten",
    "brücke",
    "straße",
    "ufer",
    "elster",
    "wald",
    "feld",
    "solar",
    "sensor",
    "müll",
    "lade",
    "säule",
    "bank",
    "brunnen",
    "bibliothek",
    "museum",
    "theater",
    "bad",
    "hof",
    "amt",
    "rat",
    "fahr",
    "rad",
    "laden",
    "werk",
    "stein",
    "berg",
    "tal",
    "quelle",
    "wiese",
    "insel",
    "turm",
    "tor",
    "mauer",
    "kirche",
    "zentrum",
]
_SUFFIXES = ["", "e", "en", "er", "ung", "ungen", "bereich", "konzept", "anlage", "station", "projekt"]


# Contributions made in the portal itself (not entered by staff from a workshop, call or letter).
ONLINE_COLUMNS = ("source", "on_behalf_of", "contact_email")
ONLINE = ("online", "", "")


def _vocabulary(rng: random.Random) -> list[str]:
    words = {(a + b + c).capitalize() for a in _STEMS for b in _STEMS[:30] for c in _SUFFIXES if a != b}
    vocabulary = sorted(words)
    rng.shuffle(vocabulary)
    return vocabulary[:6000]


class Text:
    """Words drawn with Zipf's law: a few words are in nearly every idea, most in a few."""

    def __init__(self, seed: int = 16) -> None:
        self.rng = random.Random(seed)
        self.words = ["Stadt", "Gera", "Idee", *_vocabulary(self.rng)]
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]

    def words_(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, self.weights, k=n))

    def sentence(self, n: int) -> str:
        return self.words_(n).capitalize() + "."


# --- Checks ----------------------------------------------------------------------------------


def _need(ok: bool, what: str, how: str) -> None:
    if not ok:
        sys.exit(f"make bench needs {what}.\n  {how}")


def _check_tools(database_url: str, redis_url: str) -> None:
    _need(shutil.which("wrk") is not None, "wrk (HTTP load generator)", "Debian/Ubuntu: apt-get install wrk")
    _need(
        subprocess.run(
            ["pg_isready", "-h", urlsplit(database_url).hostname or "127.0.0.1"], capture_output=True
        ).returncode
        == 0
        if shutil.which("pg_isready")
        else True,
        f"PostgreSQL at {database_url}",
        "apt-get install postgresql && service postgresql start (or set BENCH_DATABASE_URL)",
    )
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except Exception:
        _need(False, f"Redis at {redis_url}", "apt-get install redis-server && service redis-server start")


def _recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- Seeding ---------------------------------------------------------------------------------


def _progress(label: str, done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.perf_counter() - started, 1e-6)
    end = "\n" if done >= total else ""
    print(
        f"\r    {label:<10} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total} ({rate:,.0f}/s)",
        end=end,
        flush=True,
    )


def _copy(table: str, columns: list[str], rows, total: int, label: str) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for n, row in enumerate(rows, start=1):
                copy.write_row(row)
                if n % 5000 == 0 or n == total:
                    _progress(label, n, total, started)


def _next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _sync_sequences(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )


# The seeded activity spans the years since the strategy began, as a real portal's does (the
# dashboard's roll-up and every "per month" figure depend on it): evenly, oldest first.
HISTORY = datetime.timedelta(days=3 * 365)


def _in_history(now: datetime.datetime, k: int, n: int) -> datetime.datetime:
    """The k-th of n moments spread evenly over the HISTORY before now."""
    return now - HISTORY * (1 - k / max(n, 1))


def seed_base(scale: dict, text: Text) -> None:
    """People, threads and posts, pilots and updates (the ideas come in two steps)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from pilots.models import Pilot, PilotUpdate
    from workgroups.models import WorkingGroup

    now = timezone.now()
    password = make_password("bench-password-1")
    first = _next_id("accounts_user")
    n = scale["users"]
    _copy(
        "accounts_user",
        [
            "id",
            "password",
            "is_superuser",
            "email",
            "display_name",
            "language",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        (
            (
                first + k,
                password,
                False,
                f"bench-{k}@example.org",
                f"Person {k}",
                "de",
                False,
                True,
                _in_history(now, k, n),
            )  # fmt: skip
            for k in range(n)
        ),
        n,
        "people",
    )
    _sync_sequences("accounts_user")
    groups = list(WorkingGroup.objects.values_list("pk", flat=True))
    first_thread = _next_id("workgroups_thread")
    threads = scale["threads"]
    _copy(
        "workgroups_thread",
        ["id", "group_id", "title", "visibility", "author_id", "created_at", "last_post_at", "hidden_reason"],
        (
            (
                first_thread + k,
                groups[k % len(groups)],
                text.sentence(6)[:150],
                "public" if k % 2 else "members",
                first + k % n,
                _in_history(now, k, threads),
                _in_history(now, k, threads),
                "",
            )
            for k in range(threads)
        ),
        threads,
        "threads",
    )
    posts = scale["posts"]
    _copy(
        "workgroups_post",
        ["thread_id", "author_id", "body", "body_html", "created_at", "hidden_reason"],
        (
            (
                first_thread + k % threads,
                first + k % n,
                body := text.sentence(30),
                f"<p>{html.escape(body)}</p>",
                min(now, _in_history(now, k % threads, threads) + datetime.timedelta(hours=k // threads)),
                "",
            )
            for k in range(posts)
        ),
        posts,
        "posts",
    )
    _sync_sequences("workgroups_thread", "workgroups_post")
    group_objects = list(WorkingGroup.objects.all())
    pilots = Pilot.objects.bulk_create(
        [
            Pilot(
                title=f"Pilotprojekt {k} {text.words_(3)}"[:190],
                slug=f"bench-pilot-{k}",
                summary=text.sentence(20),
                description=text.sentence(80),
                working_group=group_objects[k % len(group_objects)],
                status="implementation" if k % 3 else "proposed",
                council_date=datetime.date(2021, 2, 24) if k % 3 else None,
                council_resolution=f"DS 2021/{k}" if k % 3 else "",
            )
            for k in range(scale["pilots"])
        ]
    )
    PilotUpdate.objects.bulk_create(
        [
            PilotUpdate(
                pilot=pilots[k % len(pilots)],
                title=text.sentence(5)[:190],
                body=(b := text.sentence(40)),
                body_html=f"<p>{html.escape(b)}</p>",
            )
            for k in range(scale["updates"])
        ],
        batch_size=2000,
    )
    print(f"    pilots     {len(pilots)} with {scale['updates']} updates", flush=True)


def seed_ideas(scale: dict, text: Text, target: int, *, busy: bool) -> None:
    """Ideas up to `target`, with comments and supports in proportion (and the busy idea)."""
    from django.db import connection
    from django.utils import timezone

    from geraportal.districts.models import District
    from ideas.services import idea_refresh_search
    from workgroups.models import WorkingGroup

    rng = text.rng
    have = _next_id("ideas_idea") - 1
    count = target - have
    if count <= 0:
        return
    groups = list(WorkingGroup.objects.values_list("pk", flat=True))
    districts = list(District.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM accounts_user WHERE email LIKE 'bench-%%'")
        low, high = cursor.fetchone()
    now = timezone.now()
    per_idea_comments = scale["comments"] / scale["ideas"]
    per_idea_supports = scale["supports"] / scale["ideas"]

    def idea_created(k: int) -> datetime.datetime:
        return _in_history(now, k, count)

    def after_idea(k: int, hours: int) -> datetime.datetime:
        """A moment some hours after the k-th new idea (comments, supports), never in the future."""
        return min(now, idea_created(k) + datetime.timedelta(hours=hours))

    def idea_rows():
        for k in range(count):
            pk = have + 1 + k
            located = rng.random() < 0.1
            yield (
                pk,
                text.words_(rng.randint(3, 7)).capitalize()[:150],
                text.sentence(rng.randint(20, 80)),
                rng.randint(low, high),
                rng.choice(groups),
                rng.choice(districts) if districts else None,
                round(50.84 + rng.random() * 0.1, 6) if located else None,
                round(12.02 + rng.random() * 0.14, 6) if located else None,
                "",
                "",
                "",
                "published",
                False,
                "",
                int(per_idea_supports),
                int(per_idea_comments),
                idea_created(k),
                now,
                *ONLINE,
            )

    _copy(
        "ideas_idea",
        [
            "id",
            "title",
            "body",
            "author_id",
            "theme_id",
            "district_id",
            "latitude",
            "longitude",
            "location_text",
            "image",
            "image_alt",
            "status",
            "hidden",
            "hidden_reason",
            "support_count",
            "comment_count",
            "created_at",
            "updated_at",
            *ONLINE_COLUMNS,
        ],
        idea_rows(),
        count,
        "ideas",
    )
    comments = int(count * per_idea_comments)

    def comment_rows():
        for k in range(comments):
            body = text.sentence(rng.randint(8, 40))
            yield (
                have + 1 + k % count,
                rng.randint(low, high),
                body,
                f"<p>{html.escape(body)}</p>",
                False,
                "",
                after_idea(k % count, 1 + k // count * 24),
                *ONLINE,
            )
        if busy:  # the busiest discussion: one idea with many comments
            for _ in range(scale["busy_comments"]):
                body = text.sentence(rng.randint(8, 40))
                html_body = f"<p>{html.escape(body)}</p>"
                yield (
                    have + 1,
                    rng.randint(low, high),
                    body,
                    html_body,
                    False,
                    "",
                    after_idea(0, 1),
                    *ONLINE,
                )

    total_comments = comments + (scale["busy_comments"] if busy else 0)
    _copy(
        "ideas_comment",
        [
            "idea_id",
            "author_id",
            "body",
            "body_html",
            "hidden",
            "hidden_reason",
            "created_at",
            *ONLINE_COLUMNS,
        ],
        comment_rows(),
        total_comments,
        "comments",
    )
    supports = int(count * per_idea_supports)
    per = max(1, int(per_idea_supports))

    def support_rows():
        for k in range(supports):
            idea = have + 1 + k // per
            moment = after_idea(k // per, 1 + k % per * 12)
            yield (idea, low + (idea * 7919 + k % per * 104729) % (high - low + 1), moment)

    _copy("ideas_support", ["idea_id", "user_id", "created_at"], support_rows(), supports, "supports")
    _sync_sequences("ideas_idea", "ideas_comment", "ideas_support")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ideas_idea SET comment_count = %s WHERE id = %s",
            [int(per_idea_comments) + (scale["busy_comments"] if busy else 0), have + 1],
        )
    print("    search vectors ...", flush=True)
    from ideas.models import Idea

    idea_refresh_search(idea_ids=Idea.objects.filter(search_vector__isnull=True).values("pk"))
    with connection.cursor() as cursor:
        # Every table: VACUUM sets the visibility map, so counts can use index-only scans, and
        # leaves autovacuum nothing to do on the fresh rows while the pages are measured (it
        # took CPU from the first page measured after the seeding); ANALYZE, as the planner
        # misjudged the working groups' posts (estimated 1 thread of 2,000) and chose a nested
        # loop that cost the dashboard 200 ms. Not in a transaction: VACUUM cannot run in one.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    # What the nightly task has done on a real portal: the dashboard's days before today.
    from dashboard import rollup

    state = rollup.rebuild()
    print(f"    dashboard roll-up: {state.seconds:.1f}s", flush=True)


# --- Servers ---------------------------------------------------------------------------------


def _server_env(database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geraportal.settings.prod",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "bench",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": f"smtp://127.0.0.1:{int(os.environ.get('BENCH_SMTP_PORT', '2526'))}",
        # The API's per-client limit (300 a minute) would answer most of wrk's requests with 429
        # from one address: the bench measures what the server can do, not the limit.
        "API_THROTTLE_RATE": os.environ.get("BENCH_API_THROTTLE_RATE", "100000000/min"),
        # wrk asks 100 times faster than a city does: recycling each worker after 20,000
        # requests (production's guard against leaks) restarted one every few seconds here, and
        # the re-import and cold caches showed as noise and as timeouts in whichever page ran.
        "GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "0"),
    }


def stop_gunicorn(server: subprocess.Popen) -> None:
    """Graceful stop; a worker still busy with a slow request after 30 s is killed (and the
    report is still written)."""
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "geraportal.wsgi",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


# --- wrk -------------------------------------------------------------------------------------

_LUA = """
local bust = os.getenv("BENCH_BUST") == "1"
local counter = 0
local threads = 0
-- Each thread its own random sequence: LuaJIT starts every thread at the same seed, so two
-- threads would ask for the same "new" addresses and the second one would hit the cache.
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + (id or 0))
end
request = function()
  if paths then
    return wrk.format(nil, paths[math.random(#paths)])
  end
  if bust then
    counter = counter + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "_bench=" .. (id or 0) .. "-" .. math.random(1, 1e9) .. "-" .. counter)
  end
  return wrk.format(nil, wrk.path)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("JSON{\\"requests\\":%d,\\"seconds\\":%f,\\"p50\\":%f,\\"p95\\":%f,\\"p99\\":%f,\\"errors\\":%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, errors))
end
"""


def wrk(
    url: str,
    *,
    seconds: int,
    cookie: str = "",
    bust: bool = False,
    paths: list[str] | None = None,
    connections: int = 10,
) -> dict:
    """`bust`: a new query string each request; `paths`: each request one of these, at random
    (for the API, which refuses unknown parameters: distinct cursors instead)."""
    script = ROOT / "var" / "bench.lua"
    table = ""
    if paths:
        table = "paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
    script.write_text(table + _LUA)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "BENCH_BUST": "1" if bust else "0"}
    )
    match = re.search(r"JSON(\{.*\})", out.stdout)
    if not match:
        raise RuntimeError(f"wrk failed: {out.stdout} {out.stderr}")
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / data["seconds"] if data["seconds"] else 0.0
    return data


def query_count(path: str, user=None) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    if user is not None:
        client.force_login(user)
    with override_settings(PAGE_CACHE_SECONDS=0):  # what a page costs when the cache misses
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(queries)


def warm_up(pages: list[dict], base: str) -> None:
    """Each page for a second, not measured: a gunicorn just started has cold workers (each
    compiles its templates and fills its process caches on its first requests), and the first
    page measured after a start showed half its later rate in a 3-second run."""
    print("    warming up ...", flush=True)
    for page in pages:
        if page.get("paths"):
            continue  # the API's random cursors: a warmed one would be in the cache when measured
        wrk(base + page["path"], seconds=1, cookie=page.get("cookie", ""), bust=page.get("bust", False))
    wrk(base + "/healthz", seconds=1)


def measure(pages: list[dict], base: str, *, seconds: int, rounds: int) -> list[dict]:
    """Each page, then /healthz, in turn; `rounds` times. Ratio = page req/s ÷ healthz req/s."""
    rows = []
    for page in pages:
        page["runs"] = []
    for round_ in range(rounds):
        for page in pages:
            result = wrk(
                base + page["path"],
                seconds=seconds,
                cookie=page.get("cookie", ""),
                bust=page.get("bust", False),
                paths=page.get("paths"),
            )
            health = wrk(base + "/healthz", seconds=seconds)
            result["ratio"] = result["rps"] / health["rps"] if health["rps"] else 0.0
            result["health_rps"] = health["rps"]
            page["runs"].append(result)
            print(
                f"    [{round_ + 1}/{rounds}] {page['name']:<38} {page['who']:<10} {result['rps']:>8.0f} req/s  "
                f"ratio {result['ratio']:.3f}  p95 {result['p95']:.1f}ms  errors {result['errors']}",
                flush=True,
            )
    for page in pages:
        runs = page.pop("runs")
        ratios = sorted(r["ratio"] for r in runs)
        rows.append(
            {
                "page": page["name"],
                "who": page["who"],
                "queries": page.get("queries"),
                "rps": sorted(r["rps"] for r in runs)[len(runs) // 2],
                "p50": sorted(r["p50"] for r in runs)[len(runs) // 2],
                "p95": sorted(r["p95"] for r in runs)[len(runs) // 2],
                "p99": sorted(r["p99"] for r in runs)[len(runs) // 2],
                "errors": sum(r["errors"] for r in runs),
                "ratio_min": ratios[0],
                "ratio_median": ratios[len(ratios) // 2],
                "ratio_max": ratios[-1],
                "goal": page.get("goal"),
            }
        )
    return rows


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def key_pages(scale: dict, citizen_cookie: str, citizen) -> list[dict]:
    from ideas.models import Idea
    from pilots.models import Pilot
    from workgroups.models import WorkingGroup

    text = Text()
    common, rare = text.words[0], text.words[2000]
    partial = text.words[40][:5]
    busy = Idea.objects.order_by("-comment_count", "pk").first()
    pilot = Pilot.objects.filter(status="implementation").order_by("pk").first()
    group = WorkingGroup.objects.order_by("pk").first()
    pages = [
        ("home", "/", 0.40),
        ("idea list", "/ideas/", 0.10),
        (f"idea detail ({busy.comment_count} comments)", busy.get_absolute_url(), 0.05),
        (f"search, common word ({common})", f"/ideas/?q={common}", 0.10),
        (f"search, rare word ({rare})", f"/ideas/?q={rare}", 0.10),
        (f"search, partial word ({partial})", f"/ideas/?q={partial}", 0.10),
        ("map data, whole city", "/ideas/map.geojson?bbox=11.95,50.80,12.25,50.97", 0.10),
        ("group page", group.get_absolute_url(), 0.40),
        ("pilots", "/pilots/", 0.40),
        ("pilot detail", pilot.get_absolute_url(), 0.40),
        # The open-data API: its answers are kept in the page cache whoever asks (it reads no
        # session), so "anon" and "logged in" ask the same page again; its "anon, miss" row
        # asks for pages at random cursors (the API refuses an unknown parameter with 400).
        ("API: ideas", "/api/v1/ideas/", 0.10),
        (f"API: ideas search ({common})", f"/api/v1/ideas/?search={common}", 0.10),
        ("API: pilots", "/api/v1/pilots/", 0.10),
        # Nine aggregate figures over every table; cached for visitors like the other pages.
        # Rendered, its goal is the dashboard's (aggregates under 300 ms, its own section), not
        # a ratio: no goal on its other rows.
        ("participation summary", "/participation/", None),
    ]
    out = []
    for name, path, goal in pages:
        api = path.startswith("/api/")
        out.append({"name": name, "path": path, "who": "anon", "goal": goal if api else 0.40, "queries": 0})
        if goal is None:
            goal = 0.0  # below: no goal for the rendered rows
        miss = {"paths": api_cursor_paths(path)} if api else {"bust": True}
        out.append(
            {
                "name": name,
                "path": path,
                "who": "anon, miss",
                **miss,
                # Pages whose goal is for the cached answer (0.40) have the uncached
                # goal when rendered: 0.10.
                "goal": min(goal, 0.10) or None,
                "queries": query_count(path),
            }
        )
        out.append(
            {
                "name": name,
                "path": path,
                "who": "logged in",
                "cookie": citizen_cookie,
                "goal": 0.10 if goal == 0.10 else None,
                "queries": query_count(path, citizen),
            }
        )
    return out


def api_cursor_paths(path: str, count: int = 20_000) -> list[str]:
    """`count` addresses of an API list, each a page of 10-50 rows from another row on: what a
    program reading the whole list asks for, none of it in the page cache yet."""
    from rest_framework.pagination import Cursor

    from api.pagination import StableCursorPagination
    from ideas.models import Idea
    from pilots.models import Pilot

    if path.startswith("/api/v1/pilots/"):
        positions = [str(t) for t in Pilot.objects.values_list("title", flat=True)]
    else:
        positions = [str(t) for t in Idea.objects.values_list("created_at", flat=True)]
    rng = random.Random(7)
    paginator = StableCursorPagination()
    separator = "&" if "?" in path else "?"
    out: set[str] = set()
    while len(out) < min(count, len(positions) * 41):
        paginator.base_url = f"{path}{separator}page_size={rng.randint(10, 50)}"
        out.add(paginator.encode_cursor(Cursor(offset=0, reverse=False, position=rng.choice(positions))))
    return sorted(out)


# --- Reports ---------------------------------------------------------------------------------


def write_report(report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / report["date"]
    (stem.with_suffix(".json")).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# Benchmark {report['date']} ({report['scale']})",
        "",
        f"Machine: {report['machine']}. Data: {report['data']}.",
        "",
        "Ratio = the page's requests per second ÷ /healthz's in the same run (min / median / max of the "
        "rounds). 'anon' is a visitor served from the page cache, 'anon, miss' a visitor whose every "
        "request misses it (a new query string each time; for the API a page at a random cursor), 'logged in' "
        "a citizen's session.",
        "",
        "| page | who | req/s | p50 ms | p95 ms | p99 ms | errors | queries | ratio min / median / max | goal |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in report["pages"]:
        goal = f"≥ {r['goal']:.2f} {'✓' if r['ratio_median'] >= r['goal'] else '✗'}" if r["goal"] else ""
        lines.append(
            f"| {r['page']} | {r['who']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['errors']} | {r['queries']} | {r['ratio_min']:.3f} / {r['ratio_median']:.3f} / "
            f"{r['ratio_max']:.3f} | {goal} |"
        )
    lines += [
        "",
        "## Growth",
        "",
        "| page | who | ideas | req/s | p95 ms | ratio |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in report["growth"]:
        lines.append(
            f"| {r['page']} | {r['who']} | {r['ideas']} | {r['rps']:.0f} | {r['p95']:.1f} | {r['ratio_median']:.3f} |"
        )
    for title in ("dashboard", "plenary", "newsletter"):
        if title in report:
            lines += ["", f"## {title.capitalize()}", "", "```", report[title].strip(), "```"]
    (stem.with_suffix(".md")).write_text("\n".join(lines) + "\n")
    _plot(report, stem.with_suffix(".svg"))
    return stem.with_suffix(".md")


def _plot(report: dict, path: Path) -> None:
    """A bar per page and visitor kind: the median ratio, with the goal as a tick (SVG by hand)."""
    rows = report["pages"]
    bar, gap, left, width = 16, 6, 330, 400
    top = 30
    scale = width / max(1.0, max(r["ratio_max"] for r in rows))
    height = top + len(rows) * (bar + gap) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<text x="4" y="16" font-size="13">Ratio to /healthz (median of rounds), {html.escape(report["date"])}</text>',
    ]
    colours = {"anon": "#2a7", "anon, miss": "#27a", "logged in": "#a72"}
    for i, r in enumerate(rows):
        y = top + i * (bar + gap)
        label = html.escape(f"{r['page']} – {r['who']}")
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{r["ratio_median"] * scale:.1f}" height="{bar}" '
            f'fill="{colours.get(r["who"], "#777")}"/>'
        )
        parts.append(
            f'<text x="{left + r["ratio_median"] * scale + 4:.1f}" y="{y + 12}">{r["ratio_median"]:.3f}</text>'
        )
        if r["goal"]:
            x = left + r["goal"] * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" y2="{y + bar + 2}" stroke="#c00" stroke-width="2"/>'
            )
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


def _print_table(rows: list[dict]) -> None:
    print(f"\n    {'page':<40} {'who':<10} {'req/s':>7} {'p95':>7} {'q':>3} {'ratio (min/med/max)':>22}")
    for r in rows:
        print(
            f"    {r['page']:<40} {r['who']:<10} {r['rps']:>7.0f} {r['p95']:>6.1f}ms {r['queries']:>3} "
            f"{r['ratio_min']:>6.3f}/{r['ratio_median']:.3f}/{r['ratio_max']:.3f}"
        )


# --- Main ------------------------------------------------------------------------------------


def main() -> dict:
    scale_name = os.environ.get("BENCH_SCALE", "full")
    scale = dict(SMALL if scale_name == "small" else FULL)
    if os.environ.get("BENCH_DURATION"):
        scale["duration"] = int(os.environ["BENCH_DURATION"])
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/geraportal_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    port = int(os.environ.get("BENCH_PORT", "8765"))
    base = f"http://127.0.0.1:{port}"
    _check_tools(database_url, redis_url)
    print(f"Benchmark ({scale_name}): database {database_url}, Redis {redis_url}, port {port}", flush=True)
    only = [name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()]
    if only:
        return _measure_again(scale, database_url, redis_url, port, only)
    _recreate_database(database_url)
    env = _server_env(database_url, redis_url)
    _setup_django(env)
    import redis
    from django.core.management import call_command

    redis.Redis.from_url(redis_url).flushdb()  # the bench's own Redis database only
    print("Migrating, seeding the demo content, collecting static files ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    text = Text()
    seed_base(scale, text)
    seed_ideas(scale, text, scale["growth_from"], busy=True)
    seed_seconds_first = time.perf_counter() - started

    from geraportal.accounts.models import User

    if os.environ.get("BENCH_SEED_ONLY") == "1":
        # For profiling: the city's data in the bench database, nothing measured.
        seed_ideas(scale, text, scale["ideas"], busy=False)
        print(f"    seeded in {time.perf_counter() - started:.0f}s; nothing measured (BENCH_SEED_ONLY)")
        return {}
    citizen = User.objects.get(email="bench-1@example.org")
    cookie = session_cookie(citizen)
    server = start_gunicorn(env, port)
    report: dict = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d"),
        "scale": scale_name,
        "machine": f"{os.cpu_count()} cores, gunicorn {os.environ.get('GUNICORN_WORKERS', 'cpu*2+1')} gthread workers",
    }
    try:
        growth_pages = [
            p
            for p in key_pages(scale, cookie, citizen)
            if p["name"].startswith(("idea list", "search")) and p["who"] != "anon"
        ]
        print(f"\nGrowth: {scale['growth_from']} ideas", flush=True)
        warm_up(growth_pages, base)
        small = measure([dict(p) for p in growth_pages], base, seconds=scale["duration"], rounds=1)
        stop_gunicorn(server)
        started = time.perf_counter()
        seed_ideas(scale, text, scale["ideas"], busy=False)
        seed_seconds = seed_seconds_first + time.perf_counter() - started
        print(f"    seeded in {seed_seconds:.0f}s", flush=True)
        server = start_gunicorn(env, port)
        pages = key_pages(scale, cookie, citizen)
        growth_pages = [
            p for p in pages if p["name"].startswith(("idea list", "search")) and p["who"] != "anon"
        ]
        print(f"\nGrowth: {scale['ideas']} ideas", flush=True)
        warm_up(pages, base)
        large = measure([dict(p) for p in growth_pages], base, seconds=scale["duration"], rounds=1)
        report["growth"] = [{**r, "ideas": scale["growth_from"]} for r in small] + [
            {**r, "ideas": scale["ideas"]} for r in large
        ]
        print("\nKey pages", flush=True)
        rows = measure(pages, base, seconds=scale["duration"], rounds=scale["rounds"])
        report["pages"] = rows
        _print_table(rows)
    finally:
        stop_gunicorn(server)
    report["data"] = (
        f"{User.objects.count():,} people, {scale['ideas']:,} ideas, {scale['comments']:,} comments, "
        f"{scale['supports']:,} supports, {scale['threads']:,} threads / {scale['posts']:,} posts, "
        f"{scale['pilots']} pilots / {scale['updates']} updates; seeded in {seed_seconds:.0f} s"
    )
    print("\nDashboard aggregates", flush=True)
    from bench.dashboard import time_aggregates

    report["dashboard"] = time_aggregates()
    report["plenary"] = _plenary(scale, env, port)
    report["newsletter"] = _newsletter(scale, env)
    path = write_report(report)
    print(f"\nReport: {path}", flush=True)
    return report


def _setup_django(env: dict) -> None:
    """Django in this process as the bench's server runs it (its database, Redis, production
    settings), so the bench can seed and count in-process."""
    os.environ.update({k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "geraportal.settings.prod"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _measure_again(scale: dict, database_url: str, redis_url: str, port: int, only: list[str]) -> dict:
    """BENCH_PAGES=API,home: the key pages whose names contain one of these, measured again on
    the city already seeded (a full run or BENCH_SEED_ONLY=1), nothing seeded, no report
    written: to see what a change did to a few pages in minutes."""
    env = _server_env(database_url, redis_url)
    _setup_django(env)
    from geraportal.accounts.models import User

    citizen = User.objects.get(email="bench-1@example.org")
    pages = [
        p for p in key_pages(scale, session_cookie(citizen), citizen) if any(o in p["name"] for o in only)
    ]
    server = start_gunicorn(env, port)
    try:
        rows = measure(pages, f"http://127.0.0.1:{port}", seconds=scale["duration"], rounds=scale["rounds"])
    finally:
        stop_gunicorn(server)
    _print_table(rows)
    return {"pages": rows}


def _capture(function) -> str:
    buffer = StringIO()

    class Tee:
        def write(self, s):
            buffer.write(s)
            sys.__stdout__.write(s)
            sys.__stdout__.flush()

        def flush(self):
            pass

    with redirect_stdout(Tee()):
        try:
            function()
        except Exception as error:  # the report says what failed; the other parts still count
            print(f"    failed: {type(error).__name__}: {error}")
    return buffer.getvalue()


def _plenary(scale: dict, env: dict, port: int) -> str:
    from bench.scenarios import plenary

    print("\nPlenary burst", flush=True)
    os.environ.update(
        {
            "BENCH_VOTERS": str(scale["voters"]),
            "BENCH_CONCURRENCY": str(scale["voters"]),
            "BENCH_PORT": str(port),
        }
    )
    return _capture(lambda: plenary.run(None, server=lambda: start_gunicorn(env, port)))


def _newsletter(scale: dict, env: dict) -> str:
    """20,000 subscribers, two Celery workers and beat started here, a local SMTP sink."""
    from bench.scenarios import newsletter

    print("\nNewsletter", flush=True)
    smtp_port = os.environ.get("BENCH_SMTP_PORT", "2526")
    sink = subprocess.Popen([sys.executable, "-m", "bench.smtp_sink", "--port", smtp_port], cwd=ROOT)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "geraportal",
                "worker",
                "--pool",
                "solo",
                "-n",
                f"bench{k}@%h",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
        )
        for k in (1, 2)
    ]
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "geraportal",
            "beat",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(ROOT / "var" / "bench-beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
    )
    os.environ.update(
        {
            "BENCH_NEWSLETTER": str(scale["subscribers"]),
            "BENCH_NEWSLETTER_SMTP": f"127.0.0.1:{smtp_port}",
            "BENCH_WORKER_PIDS": " ".join(str(w.pid) for w in workers),
        }
    )
    try:
        return _capture(lambda: newsletter.run(None))
    finally:
        for process in [*workers, beat, sink]:
            process.terminate()
        for process in [*workers, beat, sink]:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
