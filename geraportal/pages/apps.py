from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "geraportal.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from . import backoffice, events, home, services

        backoffice.register()

        events.register("workshops", services.workshop_entries, label=_("Workshops"))
        home.sections.register("news", template="pages/includes/home_news.html", context=_home_news, order=60)


def _home_news(request) -> dict:
    from .models import NewsPost

    # One query: the home page stays cheap however many calendar sources there are.
    return {"posts": list(NewsPost.objects.published().only("title", "slug", "teaser", "published_at")[:3])}
