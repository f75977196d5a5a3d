"""The newcomer's settings: `make run` with no services, no configuration."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served from where they lie; `collectstatic` is for production.
STATIC_ROOT = None
# A developer changing a template wants to see it at once, logged in or not.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
