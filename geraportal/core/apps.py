from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geraportal.core"
    label = "core"

    def ready(self) -> None:
        from . import checks, observability  # noqa: F401  (system checks; Celery signal handlers)
