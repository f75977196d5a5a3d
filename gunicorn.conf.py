"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py geraportal.wsgi`.

Every value can be set from the environment. Threaded workers (gthread): a request that waits
for PostgreSQL or SMTP does not hold a whole process, and a burst (a plenary vote) is queued in
threads rather than in the listen backlog. Run behind a buffering reverse proxy (nginx,
Caddy): it absorbs slow clients, so a phone on a weak connection never ties up a thread.
"""

import multiprocessing
import os

from gunicorn import glogging

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request running longer than this is killed and logged (the browser gets a 502 from the
# proxy); no page of the portal needs more.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak in a library never grows without bound.
# A worker is replaced after this many requests (a guard against slow memory growth). Each new
# worker imports Django again and starts with empty per-process caches (compiled templates, the
# page chrome): at 2,000 the bench replaced a worker every two seconds and spent a core on it.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The proxy terminates TLS and says so in X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The access log names the request id, as the application's log lines do.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'


class BallotPrivacyLogger(glogging.Logger):
    """No client address in the access log for the plenary's poll pages: a ballot is cast
    there, and an address next to the time of a vote is personal data the count never needs."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if "/abstimmungen/" in (environ.get("PATH_INFO") or ""):
            atoms["h"] = "-"
        return atoms


logger_class = BallotPrivacyLogger
