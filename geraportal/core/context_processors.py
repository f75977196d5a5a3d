from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The header navigation. A section appears once its app is installed and routed, so the
# header never links to a page that does not exist yet.
NAVIGATION = [
    ("ideas:list", _("Ideas")),
    ("workgroups:list", _("Working groups")),
    ("pilots:list", _("Pilot projects")),
    ("plenary:list", _("Plenary")),
    ("news:list", _("News")),
]


def _navigation(current_path: str) -> list[dict]:
    items = []
    for url_name, label in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": current_path.startswith(url)})
    return items


def portal(request) -> dict:
    return {
        "portal_navigation": _navigation(request.path),
        "portal_office": settings.PORTAL_OFFICE,
        "portal_site_url": request.build_absolute_uri("/"),
    }
