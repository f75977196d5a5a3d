from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public read-only API and the open-data downloads.

    It sits at the end of the pipeline: it reads every domain app through that app's own
    public querysets and selectors, and no app imports it.
    """

    name = "api"
    verbose_name = _("Open data")
