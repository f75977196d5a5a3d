from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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


@cache
def _sections(urlconf: str | None, script_prefix: str) -> tuple[tuple[str, object], ...]:
    """(url, label) of each routed section: the same for every request of a process."""
    sections = []
    for url_name, label in NAVIGATION:
        try:
            sections.append((reverse(url_name, urlconf=urlconf), label))
        except NoReverseMatch:
            continue
    return tuple(sections)


def _navigation(current_path: str) -> list[dict]:
    return [
        {"url": url, "label": label, "active": current_path.startswith(url)}
        for url, label in _sections(get_urlconf(), get_script_prefix())
    ]


def portal(request) -> dict:
    navigation = _navigation(request.path)
    return {
        "portal_navigation": navigation,
        # What the cached header depends on (templates/base.html, `{% cache ... %}`).
        "portal_navigation_active": next((item["url"] for item in navigation if item["active"]), ""),
        "portal_office": settings.PORTAL_OFFICE,
        # The configured address, never the request's Host header: a forged host must neither
        # reach an e-mail nor fail the 400 page that refuses it.
        "portal_site_url": f"{settings.SITE_URL}/",
    }
