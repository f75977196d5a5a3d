"""Profile one page in-process against the bench database: where does a request's CPU go?

    BENCH_DATABASE_URL=postgres://.../geraportal_bench .venv/bin/python -m bench.profile /ideas/
    ... -m bench.profile /ideas/ --user bench-1@example.org --repeat 50

Production settings, the bench's Redis database, the page cache bypassed (a new query string per
request, as the bench's "anon, miss" rows). Prints the mean time per request, the SQL queries and
their time, and pyinstrument's call tree of all repeats together.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--user", help="e-mail of a user to log in as")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cached", action="store_true", help="let the page cache answer")
    parser.add_argument("--width", type=int, default=160, help="characters of each query shown")
    parser.add_argument("--html", help="write pyinstrument's HTML report to this file")
    args = parser.parse_args()

    from bench.city import _server_env

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/geraportal_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    os.environ.update(_server_env(database_url, redis_url))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client()
    if args.user:
        from geraportal.accounts.models import User

        client.force_login(User.objects.get(email=args.user))
    separator = "&" if "?" in args.path else "?"
    run = time.time_ns()  # a new query string per request of this run: no earlier page answers

    def url(i: int) -> str:
        return args.path if args.cached else f"{args.path}{separator}_bust={run}-{i}"

    for i in range(3):  # warm up: imports, template loading, connection
        response = client.get(url(-i - 1), secure=True)
    print(f"{args.path}: {response.status_code}, {len(response.content):,} bytes")
    with CaptureQueriesContext(connection) as queries:
        client.get(url(0), secure=True)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(f"{len(queries)} queries, {sql_ms:.1f} ms SQL")
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][: args.width]}")
    started = time.perf_counter()
    for i in range(args.repeat):
        client.get(url(args.repeat + i + 1), secure=True)
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms per request")
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    for i in range(args.repeat):
        client.get(url(2 * args.repeat + i + 1), secure=True)
    profiler.stop()
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms per request (profiled)")
    if args.html:
        Path(args.html).write_text(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
