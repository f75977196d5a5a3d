"""RSS and Atom feeds of new ideas, for all themes and per theme. Only public ideas appear."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from geraportal.core.markdown import render_markdown
from workgroups.models import WorkingGroup

from .models import Idea

FEED_SIZE = 30


class IdeasFeed(Feed):
    def get_object(self, request, slug: str | None = None):
        return get_object_or_404(WorkingGroup, slug=slug) if slug else None

    def title(self, theme):
        if theme is None:
            return _("New ideas – SMARTCity Gera")
        return _("New ideas on “%(theme)s” – SMARTCity Gera") % {"theme": theme.name}

    def link(self, theme):
        url = reverse("ideas:list")
        return f"{url}?theme={theme.slug}" if theme else url

    def description(self, theme):
        return _("Ideas that citizens submitted on the participation portal of SMARTCity Gera.")

    def items(self, theme):
        ideas = Idea.objects.public().select_related("author", "theme").order_by("-created_at", "-pk")
        if theme is not None:
            ideas = ideas.filter(theme=theme)
        return ideas[:FEED_SIZE]

    def item_title(self, item: Idea) -> str:
        return item.title

    def item_description(self, item: Idea) -> str:
        return str(render_markdown(item.body))

    def item_link(self, item: Idea) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Idea) -> str:
        return item.author.public_name

    def item_pubdate(self, item: Idea):
        return item.created_at

    def item_updateddate(self, item: Idea):
        return item.updated_at

    def item_categories(self, item: Idea):
        return [item.theme.name]

    def item_guid(self, item: Idea) -> str:
        return f"{settings.SITE_URL}/ideas/{item.pk}/"

    item_guid_is_permalink = False


class IdeasAtomFeed(IdeasFeed):
    feed_type = Atom1Feed

    def subtitle(self, theme):
        return self.description(theme)
