"""The portal-wide search: a registry of sources that the apps fill, and the helpers they share.

`geraportal` knows no domain app, so each app describes what it contributes in its own
`search_sources.py` (discovered like `demo.py`): a `Source` with a function that takes the
query and the viewer and returns the hits the viewer may see — the permission filter
(`.visible_to(user)`) is part of the app's queryset, so nothing private is ever fetched.
Sitemaps register the same way: public objects only.

Matching: PostgreSQL uses German full-text search (`websearch_to_tsquery('german', …)`,
so "Radweg" finds "Radwege"), SQLite a case-insensitive containment of every word.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
EXCERPT_LENGTH = 220


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    excerpt: SafeString  # escaped text with the query's words in <mark>
    meta: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    label: str  # a lazily translated heading, e.g. _("Ideas")
    order: int
    search: Callable[..., list[Hit]]  # search(query=..., user=..., limit=...) -> [Hit]


_sources: dict[str, Source] = {}
_sitemaps: dict[str, type[Sitemap]] = {}
_discovered = False


def register(name: str, *, label, order: int, search: Callable[..., list[Hit]]) -> None:
    _sources[name] = Source(name=name, label=label, order=order, search=search)


def register_sitemap(name: str, sitemap: type[Sitemap]) -> None:
    _sitemaps[name] = sitemap


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("search_sources")
        _discovered = True


def sources() -> list[Source]:
    _discover()
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def sitemaps() -> dict[str, type[Sitemap]]:
    _discover()
    return dict(sorted(_sitemaps.items()))


def clean_query(text: str) -> str:
    """Printable characters only, bounded length (NUL bytes break PostgreSQL)."""
    text = "".join(ch for ch in (text or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w[\w-]*", query) if len(w) > 1][:10]


def text_match(queryset: QuerySet, query: str, fields: Iterable[str]) -> QuerySet:
    """Rows whose `fields` match the query (German stemming on PostgreSQL)."""
    fields = list(fields)
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="german")
        return queryset.annotate(_search=vector).filter(
            _search=SearchQuery(query, config="german", search_type="websearch")
        )
    condition = Q()
    for word in words(query):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition) if condition else queryset.none()


def highlight(text: str, query: str, *, length: int = EXCERPT_LENGTH) -> SafeString:
    """An excerpt of plain `text` around the first match, escaped, the query's words in <mark>.

    Words are matched by their beginning, so a German inflection ("Radwege") is marked too.
    """
    text = " ".join((text or "").split())
    terms = words(query)
    stems = "|".join(re.escape(t[: max(4, len(t) - 2)]) for t in terms)
    pattern = re.compile(rf"\b(?:{stems})\w*", re.IGNORECASE) if terms else None
    start = 0
    if pattern and (found := pattern.search(text)):
        start = max(0, found.start() - length // 3)
    excerpt = text[start : start + length]
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    if not pattern:
        return mark_safe(escape(prefix + excerpt + suffix))  # noqa: S308 -- escaped
    parts, last = [], 0
    for match in pattern.finditer(excerpt):
        parts += [escape(excerpt[last : match.start()]), "<mark>", escape(match.group(0)), "</mark>"]
        last = match.end()
    parts.append(escape(excerpt[last:]))
    return mark_safe(escape(prefix) + "".join(parts) + escape(suffix))  # noqa: S308 -- every part escaped


def search_all(*, query: str, user, limit: int = 10) -> list[tuple[Source, list[Hit]]]:
    query = clean_query(query)
    if not words(query):
        return []
    results = []
    for source in sources():
        hits = source.search(query=query, user=user, limit=limit)
        if hits:
            results.append((source, hits))
    return results
