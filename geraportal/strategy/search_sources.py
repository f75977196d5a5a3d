"""The strategy's editions in the portal-wide search."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geraportal.core import search

from .models import StrategyEdition


def _editions(*, query, user, limit):
    editions = search.text_match(StrategyEdition.objects.published(), query, ["title", "summary"])
    return [
        search.Hit(
            title=edition.title,
            url=f"{reverse('pages:strategy')}#edition-{edition.year}",
            excerpt=search.highlight(edition.summary, query),
            meta=str(edition.year),
        )
        for edition in editions.order_by("-year")[:limit]
    ]


search.register("strategy", label=_("Strategy editions"), order=45, search=_editions)
