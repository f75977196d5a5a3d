"""The strategy in the portal-wide search: the editions' summaries and the text of their sections.

Sections are found in every edition that is public (the draft of the next one from its
consultation on), as the edition page shows them.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geraportal.core import search
from geraportal.core.translated import pick

from .models import Section, StrategyEdition


def _editions(*, query, user, limit):
    editions = search.text_match(StrategyEdition.objects.published(), query, ["title", "summary"])
    hits = [
        search.Hit(
            title=edition.title,
            url=f"{reverse('pages:strategy')}#edition-{edition.year}",
            excerpt=search.highlight(edition.summary, query),
            meta=str(edition.year),
        )
        for edition in editions.order_by("-year")[:limit]
    ]
    sections = search.text_match(
        Section.objects.filter(edition__in=StrategyEdition.objects.public()).select_related("edition"),
        query,
        ["title_de", "title_en", "body_de", "body_en"],
    )
    hits += [
        search.Hit(
            title=f"{section.title} – {section.edition.title}",
            url=f"{section.edition.get_absolute_url()}#abschnitt-{section.key}",
            excerpt=search.highlight(pick(section, "body"), query),
            meta=str(section.edition.year),
        )
        for section in sections.order_by("-edition__year", "position", "pk")[: limit - len(hits)]
    ]
    return hits


class EditionSitemap(Sitemap):
    def items(self):
        return StrategyEdition.objects.public().order_by("year")


search.register("strategy", label=_("Strategy editions"), order=45, search=_editions)
search.register_sitemap("strategy", EditionSitemap)
