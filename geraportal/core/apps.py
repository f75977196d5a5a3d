from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geraportal.core"
    label = "core"

    def ready(self) -> None:
        from . import checks, observability, pagecache  # noqa: F401  (system checks; Celery signal handlers)

        pagecache.connect()
