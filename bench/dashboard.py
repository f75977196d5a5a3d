"""The dashboard's aggregates timed in-process on the bench database (goal: under 300 ms)."""

import statistics
import time

GOAL_MS = 300


def time_aggregates(*, repeat: int = 5) -> str:
    """Every figure of the staff dashboard and of the public summary for the default period,
    computed `repeat` times (after one warm-up); one line each with median and maximum."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dashboard.selectors import Period, dashboard_figures

    period = Period.last_months(timezone.localdate())
    lines = []
    for public in (False, True):
        dashboard_figures(period=period, public=public)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            dashboard_figures(period=period, public=public)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            dashboard_figures(period=period, public=public)
        median = statistics.median(timings)
        verdict = "✓" if median < GOAL_MS else "✗"
        who = "public summary" if public else "staff dashboard"
        lines.append(
            f"    {who:<16} all figures: median {median:.0f} ms, max {max(timings):.0f} ms, "
            f"{len(queries)} queries (goal < {GOAL_MS} ms {verdict})"
        )
    text = "\n".join(lines)
    print(text, flush=True)
    return text
