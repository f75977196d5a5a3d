"""Entry point of `make bench`: seed a benchmark database, then run every scenario."""

import argparse
import importlib
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    if len(sys.argv) == 1:
        # `make bench`: the city-scale run against gunicorn (bench/city.py).
        from bench import city

        city.main()
        return
    parser = argparse.ArgumentParser(description="geraportal benchmarks (in-process scenarios)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per URL (default 30)")
    parser.add_argument("--only", help="run only the scenario with this name")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "geraportal.settings.dev"
    os.environ["DJANGO_DEBUG"] = "False"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    print("Preparing the benchmark database (migrate, seed_demo) ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)

    from bench import scenarios

    names = [m.name for m in pkgutil.iter_modules(scenarios.__path__)]
    for number, name in enumerate(sorted(names), start=1):
        if args.only and name != args.only:
            continue
        module = importlib.import_module(f"bench.scenarios.{name}")
        print(f"\n[{number}/{len(names)}] scenario {name}: {module.__doc__.strip().splitlines()[0]}")
        module.run(Reporter(repeat=args.repeat))


class Reporter:
    """Times requests through Django's test client and prints one line per URL."""

    def __init__(self, *, repeat: int):
        self.repeat = repeat
        print(f"    {'page':<44} {'median':>9} {'p95':>9} {'queries':>8}")

    def get(self, client, url: str, label: str | None = None) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # warm-up: template loading, caches
        timings = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"    {label or url:<44} {statistics.median(timings) * 1000:>7.1f}ms {p95 * 1000:>7.1f}ms "
            f"{len(queries):>8}"
        )


if __name__ == "__main__":
    main()
