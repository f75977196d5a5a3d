from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geraportal.core"
    label = "core"
