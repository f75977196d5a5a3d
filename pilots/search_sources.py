"""Pilot projects in the portal-wide search and the sitemap (drafts only for their group)."""

from django.contrib.sitemaps import Sitemap
from django.utils.translation import gettext_lazy as _

from geraportal.core import search

from .models import Pilot


def _pilots(*, query, user, limit):
    pilots = search.text_match(
        Pilot.objects.visible_to(user), query, ["title", "summary", "description", "location_text"]
    )
    return [
        search.Hit(
            title=pilot.title,
            url=pilot.get_absolute_url(),
            excerpt=search.highlight(f"{pilot.summary} {pilot.description}", query),
            meta=pilot.get_status_display(),
        )
        for pilot in pilots.order_by("title")[:limit]
    ]


class PilotSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Pilot.objects.public().order_by("pk")

    def lastmod(self, pilot):
        return pilot.updated_at


search.register("pilots", label=_("Pilot projects"), order=20, search=_pilots)
search.register_sitemap("pilots", PilotSitemap)
