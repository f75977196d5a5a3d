"""Rendered fragments kept in the cache under a key made of what they show.

A list page renders the same small template many times (twenty idea cards, fifty comments),
and Django's template engine spends most of the page's time there. `render_each` renders each
item once and afterwards finds it in the cache: the key is a digest of the template's source,
the language and the item's *fingerprint* — every value the template reads — so a fragment is
never out of date: a new title, status, count or name is a new key, and the old entry simply
expires (`FRAGMENT_CACHE_SECONDS`). Nothing can be invalidated wrongly because nothing is
invalidated at all. The one duty of the caller: the fingerprint must hold everything the
template shows (its tests change each shown value and look at the page).

Only fragments without anything personal belong here: no CSRF token, no per-viewer link.
Per-viewer parts stay in the page's own template, around the fragment.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache as memoize
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from geraportal.core.pagination import kept_page

T = TypeVar("T")


@memoize
def template_digest(template_name: str) -> str:
    """A digest of the template's source and of the release (`_release`): a deploy that changes
    the template, a template it includes, or a translation changes every key."""
    source = get_template(template_name).template.source
    return hashlib.sha256(f"{_release()}\x1f{source}".encode()).hexdigest()[:16]


@memoize
def _release() -> str:
    """A digest of the portal's templates and compiled translations, read once per process: a
    card includes other templates (a status badge, a progress bar) and shows translated words,
    and a deploy that changes only those must not serve the old fragment for a day."""
    digest = hashlib.sha256()
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(p) for p in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".txt", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(template_name: str, language: str, fingerprint: Iterable[Any]) -> str:
    raw = "\x1f".join(map(repr, fingerprint))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"fragment:{template_digest(template_name)}:{language}:{digest}"


def render_each(
    template_name: str,
    items: Sequence[T],
    *,
    context: Callable[[T], dict[str, Any]],
    fingerprint: Callable[[T], tuple],
) -> list[SafeString]:
    """The template rendered for each item, in order; one cache read for all of them."""
    if not items:
        return []
    seconds = settings.FRAGMENT_CACHE_SECONDS
    language = get_language() or settings.LANGUAGE_CODE
    keys = [_key(template_name, language, fingerprint(item)) for item in items]
    found = cache.get_many(keys) if seconds > 0 else {}
    missing: dict[str, str] = {}
    out = []
    for key, item in zip(keys, items, strict=True):
        html = found.get(key)
        if html is None:
            html = missing.get(key) or render_to_string(template_name, context(item))
            missing[key] = html
        out.append(mark_safe(html))  # noqa: S308 (rendered by our template, which escapes)
    if missing and seconds > 0:
        cache.set_many(missing, seconds)
    return out


def kept_rendered_page(page: Page, *, key: str, template_name: str, build: Callable[[list], T]) -> T:
    """`build(rows)` for the rows of a list page (fragments of `template_name` rendered from
    them), kept with the page (`core.pagination.kept_page`) in the current language: the key
    holds the language and the template's digest, as a fragment's does."""
    language = get_language() or settings.LANGUAGE_CODE
    return kept_page(page, f"{key}:rendered:{language}:{template_digest(template_name)}", build)
