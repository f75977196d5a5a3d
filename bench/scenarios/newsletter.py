"""Newsletter: send one issue to BENCH_NEWSLETTER confirmed subscribers into a local SMTP server.

Default 500 subscribers, in-process (eager Celery) against an SMTP sink started here. For the
issue's target (20,000 subscribers, two real Celery worker processes, Redis) see bench/README.md.

Environment:
- BENCH_NEWSLETTER: number of confirmed subscribers (default 500).
- BENCH_NEWSLETTER_SMTP=host:port: use a running sink (`python -m bench.smtp_sink`) instead.
- BENCH_WORKER_PIDS="pid pid": Celery worker processes whose peak memory to report.
With REDIS_URL set, the batches run on the workers; this script waits until the issue is sent.
"""

import os
import resource
import time
from pathlib import Path

BENCH_DOMAIN = "bench.example.org"


def _peak_kib(pid: str) -> int | None:
    """Peak resident memory (VmHWM) of a process, in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _subscribers(count: int) -> None:
    from django.utils import timezone

    from geraportal.newsletter.models import NewsletterSubscriber

    NewsletterSubscriber.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").delete()
    now = timezone.now()
    chunk = 2000
    for start in range(0, count, chunk):
        NewsletterSubscriber.objects.bulk_create(
            [
                NewsletterSubscriber(
                    email=f"leser{n}@{BENCH_DOMAIN}",
                    status=NewsletterSubscriber.Status.CONFIRMED,
                    language="de" if n % 10 else "en",
                    requested_at=now,
                    confirmed_at=now,
                )
                for n in range(start, min(start + chunk, count))
            ]
        )
        print(f"    subscribers: {min(start + chunk, count):>6} / {count}", flush=True)


def run(report) -> None:
    from django.conf import settings
    from django.db import transaction
    from django.test.utils import override_settings

    from bench.smtp_sink import SmtpSink
    from geraportal.accounts.models import User
    from geraportal.newsletter import services as newsletter
    from geraportal.newsletter.models import NewsletterIssue
    from geraportal.notifications.models import OutboxEmail
    from geraportal.pages.models import NewsPost

    count = int(os.environ.get("BENCH_NEWSLETTER", "500"))
    _subscribers(count)
    external = os.environ.get("BENCH_NEWSLETTER_SMTP", "")
    sink = None
    if external:
        host, port = external.rsplit(":", 1)
    else:
        sink = SmtpSink().start()
        host, port = sink.host, sink.port
    staff = User.objects.get(email="team@example.org")
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": int(port),
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with override_settings(**smtp):
        issue = NewsletterIssue.objects.create(
            subject=f"Bench {time.time():.0f}", intro="Hallo **Gera**!\n\n" * 5
        )
        issue.news_posts.set(NewsPost.objects.published()[:3])
        start = time.perf_counter()
        with transaction.atomic():
            newsletter.issue_send(issue=issue, by=staff)
        # Eager Celery has sent everything by now; with real workers, wait for them (at most
        # BENCH_NEWSLETTER_WAIT seconds: a run that never finishes says so and goes on).
        deadline = start + int(os.environ.get("BENCH_NEWSLETTER_WAIT", "600"))
        while NewsletterIssue.objects.filter(pk=issue.pk, status=NewsletterIssue.Status.SENDING).exists():
            counts = newsletter.issue_counts(issue=issue, live=True)
            print(f"    sent so far: {counts['sent']:>6} / {counts['total']}", flush=True)
            if time.perf_counter() > deadline:
                print("    NOT FINISHED: the issue is still 'sending' after the wait; stopped waiting")
                break
            time.sleep(2)
        elapsed = time.perf_counter() - start
    issue.refresh_from_db()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sent = OutboxEmail.objects.filter(
        idempotency_key__startswith=f"newsletter:{issue.pk}:", status=OutboxEmail.Status.SENT
    ).count()
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    mode = "in-process (eager Celery)" if eager else f"Celery workers via {settings.CELERY_BROKER_URL}"
    print(f"    mode: {mode}")
    print(f"    recipients {issue.recipients_total}, sent {sent}", end="")
    print(f", failed {issue.failed_count}, bounced {issue.bounced_count}")
    print(f"    elapsed {elapsed:.1f}s, {sent / elapsed if elapsed else 0:.0f} e-mails/s")
    if sink is not None:
        print(f"    SMTP server received {sink.messages} messages over {sink.connections} connections")
        sink.stop()
    print(f"    peak memory of this process {rss_after / 1024:.0f} MB", end="")
    print(f" (before sending {rss_before / 1024:.0f} MB)")
    for pid in os.environ.get("BENCH_WORKER_PIDS", "").split():
        peak = _peak_kib(pid)
        print(
            f"    peak memory of worker {pid}: {peak / 1024:.0f} MB"
            if peak
            else f"    worker {pid}: not found"
        )
