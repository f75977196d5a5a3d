"""RSS and Atom feeds of the published news posts."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import NewsPost


class NewsRssFeed(Feed):
    title = _("SMARTCity Gera – news")
    link = reverse_lazy("news:list")
    description = _("News from the participation portal of SMARTCity Gera.")

    def items(self):
        return NewsPost.objects.published().only("title", "slug", "teaser", "published_at", "updated_at")[:20]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return item.teaser

    def item_pubdate(self, item: NewsPost):
        return item.published_at

    def item_updateddate(self, item: NewsPost):
        return max(item.updated_at, item.published_at)

    def item_guid(self, item: NewsPost) -> str:
        return f"news-{item.pk}"

    item_guid_is_permalink = False


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
