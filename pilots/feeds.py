"""RSS and Atom feeds of pilot updates and status changes, for all pilots and per pilot.

Only public pilots appear; a draft's feed is a 404 like its page.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Pilot, PilotStatusChange, PilotUpdate

FEED_SIZE = 30


class PilotUpdatesFeed(Feed):
    def get_object(self, request, slug: str | None = None):
        return get_object_or_404(Pilot.objects.public(), slug=slug) if slug else None

    def title(self, pilot):
        if pilot is None:
            return _("Pilot projects – SMARTCity Gera")
        return _("Pilot project “%(title)s” – SMARTCity Gera") % {"title": pilot.title}

    def link(self, pilot):
        return pilot.get_absolute_url() if pilot else reverse("pilots:list")

    def description(self, pilot):
        return _("Progress updates and status changes of the pilot projects of SMARTCity Gera.")

    def items(self, pilot):
        updates = PilotUpdate.objects.filter(pilot__in=Pilot.objects.public()).select_related("pilot")
        changes = (
            PilotStatusChange.objects.filter(pilot__in=Pilot.objects.public())
            .exclude(to_status=Pilot.Status.DRAFT)
            .select_related("pilot")
        )
        if pilot is not None:
            updates, changes = updates.filter(pilot=pilot), changes.filter(pilot=pilot)
        items = list(updates.order_by("-published_at", "-pk")[:FEED_SIZE])
        items += list(changes.order_by("-created_at", "-pk")[:FEED_SIZE])
        items.sort(key=self.item_pubdate, reverse=True)
        return items[:FEED_SIZE]

    def item_title(self, item) -> str:
        if isinstance(item, PilotUpdate):
            return f"{item.pilot.title}: {item.title}"
        return _("%(title)s: now “%(status)s”") % {
            "title": item.pilot.title,
            "status": Pilot.Status(item.to_status).label,
        }

    def item_description(self, item) -> str:
        if isinstance(item, PilotUpdate):
            return item.body_html
        return escape(item.note)

    def item_link(self, item) -> str:
        if isinstance(item, PilotUpdate):
            return item.get_absolute_url()
        return reverse("pilots:detail", kwargs={"slug": item.pilot.slug}) + f"#status-{item.pk}"

    def item_pubdate(self, item):
        return item.published_at if isinstance(item, PilotUpdate) else item.created_at

    def item_categories(self, item):
        return [item.pilot.title]

    def item_guid(self, item) -> str:
        kind = "update" if isinstance(item, PilotUpdate) else "status"
        return f"{settings.SITE_URL}/pilots/{kind}/{item.pk}/"

    item_guid_is_permalink = False


class PilotUpdatesAtomFeed(PilotUpdatesFeed):
    feed_type = Atom1Feed

    def subtitle(self, pilot):
        return self.description(pilot)
