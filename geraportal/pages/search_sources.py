"""What the pages app contributes to the portal-wide search and the sitemap."""

from django.contrib.sitemaps import Sitemap
from django.template.loader import select_template
from django.urls import reverse
from django.utils import formats
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geraportal.core import search

from .models import Event, NewsPost

# Static pages found by their text: (url name, page name, title).
CONTENT_PAGES = [
    ("pages:strategy", "strategy", _("The SMARTCity strategy")),
    ("pages:contact", "contact", _("Contact")),
    ("pages:accessibility", "accessibility", _("Accessibility statement")),
    ("pages:easy_language", "easy_language", _("Easy language")),
    ("pages:terms", "terms", _("Terms of use and netiquette")),
    ("pages:privacy", "privacy", _("Privacy notice")),
    ("pages:imprint", "imprint", _("Imprint")),
]


def _news(*, query, user, limit):
    posts = search.text_match(NewsPost.objects.visible_to(user), query, ["title", "teaser", "body"])
    return [
        search.Hit(
            title=post.title,
            url=post.get_absolute_url(),
            excerpt=search.highlight(f"{post.teaser} {post.body}", query),
            meta=formats.date_format(post.published_at, "DATE_FORMAT") if post.published_at else "",
        )
        for post in posts.order_by("-published_at")[:limit]
    ]


def _events(*, query, user, limit):
    events = search.text_match(Event.objects.all(), query, ["title", "description", "location"])
    return [
        search.Hit(
            title=event.title,
            url=event.get_absolute_url(),
            excerpt=search.highlight(f"{event.description} {event.location}", query),
            meta=formats.date_format(event.starts_at, "DATE_FORMAT"),
        )
        for event in events.order_by("-starts_at")[:limit]
    ]


def _page_text(name: str) -> str:
    language = (get_language() or "de")[:2]
    try:
        template = select_template([f"pages/content/{name}.{language}.html", f"pages/content/{name}.de.html"])
    except Exception:  # a page without content template is simply not searched
        return ""
    return strip_tags(template.render({}))


def _pages(*, query, user, limit):
    terms = [w.lower() for w in search.words(query)]
    hits = []
    for url_name, name, title in CONTENT_PAGES:
        text = _page_text(name)
        lowered = f"{title} {text}".lower()
        if terms and all(term in lowered for term in terms):
            hits.append(
                search.Hit(title=str(title), url=reverse(url_name), excerpt=search.highlight(text, query))
            )
    return hits[:limit]


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["pages:home", "news:list", "events:list"] + [url_name for url_name, _n, _t in CONTENT_PAGES]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return NewsPost.objects.published().order_by("-published_at")

    def lastmod(self, post):
        return post.published_at


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.order_by("-starts_at")


search.register("news", label=_("News"), order=30, search=_news)
search.register("events", label=_("Events"), order=40, search=_events)
search.register("pages", label=_("Strategy and information pages"), order=50, search=_pages)
search.register_sitemap("pages", StaticPagesSitemap)
search.register_sitemap("news", NewsSitemap)
search.register_sitemap("events", EventSitemap)
