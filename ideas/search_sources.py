"""Ideas in the portal-wide search and the sitemap (hidden ideas only for whoever may see them)."""

from django.contrib.sitemaps import Sitemap
from django.utils.translation import gettext_lazy as _

from geraportal.core import search

from .models import Idea


def _ideas(*, query, user, limit):
    ideas = search.text_match(
        Idea.objects.visible_to(user).select_related("theme", "district"),
        query,
        ["title", "body", "location_text"],
    )
    return [
        search.Hit(
            title=idea.title,
            url=idea.get_absolute_url(),
            excerpt=search.highlight(idea.body, query),
            meta=" · ".join(str(part) for part in (idea.get_status_display(), idea.district) if part),
        )
        for idea in ideas.order_by("-support_count", "-created_at")[:limit]
    ]


class IdeaSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Idea.objects.public().order_by("pk")

    def lastmod(self, idea):
        return idea.updated_at


search.register("ideas", label=_("Ideas"), order=10, search=_ideas)
search.register_sitemap("ideas", IdeaSitemap)
