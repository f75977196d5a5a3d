"""Fast, deterministic settings for pytest.

DATABASE_URL and REDIS_URL are honoured, so CI runs the same suite on PostgreSQL and Redis.
"""

import os
import uuid
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests collect e-mails in memory; the real-delivery tests start a Celery worker with
# EMAIL_URL pointing at their own SMTP server.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES = {
    "default": {"BACKEND": "geraportal.core.storage.PrivateInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run gets its own cache namespace, and each xdist worker its own Redis database,
# so rate-limit counters never leak between runs, and one worker's cache.clear() (FLUSHDB)
# never wipes another worker's keys mid-test.
if "KEY_PREFIX" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _redis = urlsplit(CACHES["default"]["LOCATION"])
    CACHES["default"]["LOCATION"] = _redis._replace(path=f"/{1 + int(_worker or 0) % 15}").geturl()
# Cached sessions with and without Redis (one process: its local cache cannot go stale), so
# the pinned query counts are the same in both CI runs.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Likewise the person cache; it is used outside transactions only, so by transactional tests.
PERSON_CACHE_SECONDS = 600
ALLOWED_HOSTS = ["*"]
# Static files are found where they lie (finders); nothing is collected for tests.
STATIC_ROOT = None
# Templates used only by tests (e.g. a sample notification).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
# Argon2id at its minimum: the plenary's passphrase-derived keys in tests, not a second each.
PLENARY_ARGON2ID_LIMITS = (1, 8192)
# Whole-page caching for visitors is off in tests: a test's writes never commit, so the content
# version would not move. tests/core/test_pagecache.py switches it on and runs the commits.
PAGE_CACHE_SECONDS = 0
