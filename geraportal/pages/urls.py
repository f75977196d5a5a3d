from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "pages"


def page(name: str, title):
    return views.ContentPageView.as_view(page=name, title=title)


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "strategie/",
        views.StrategyPageView.as_view(page="strategy", title=_("The SMARTCity strategy")),
        name="strategy",
    ),
    path("kontakt/", page("contact", _("Contact")), name="contact"),
    path("impressum/", page("imprint", _("Imprint")), name="imprint"),
    path("datenschutz/", page("privacy", _("Privacy notice")), name="privacy"),
    path(
        "barrierefreiheit/",
        views.AccessibilityPageView.as_view(page="accessibility", title=_("Accessibility statement")),
        name="accessibility",
    ),
    path("leichte-sprache/", page("easy_language", _("Easy language")), name="easy_language"),
    path("nutzungsbedingungen/", page("terms", _("Terms of use and netiquette")), name="terms"),
    path("search/", views.search_page, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
