from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from geraportal.core import pagecache

T = TypeVar("T")


class KeptPaginator(Paginator):
    """A paginator for a list whose count (and, through `kept_page`, pages) are kept under the
    content version and `count_key`, the caller's name for the rows (see `kept_count`): use it
    for models of `PAGE_CACHE_APPS` only, whose writes raise that version.

    `object_list` may be a function that builds the queryset: it is called only when the count
    or a page must be read from the database. A page whose count and rows are kept then builds
    no query at all (building a search's queryset cost up to 0.9 ms of its page, issue 16).
    """

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @property
    def object_list(self):
        if callable(self._object_list):
            self._object_list = self._object_list()
            self._check_object_list_is_ordered()
        return self._object_list

    @object_list.setter
    def object_list(self, value) -> None:
        self._object_list = value

    def _check_object_list_is_ordered(self) -> None:
        if not callable(self._object_list):  # once it is built
            super()._check_object_list_is_ordered()

    def page(self, number) -> Page:
        """As Django's, with the page's rows sliced only when they are read."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(SimpleLazyObject(lambda: self.object_list[bottom:top]), number, self)


class CappedPaginator(KeptPaginator):
    """Counts at most `cap` results: counting every match of a broad full-text search costs
    more than finding the first page. Pages beyond the cap are not offered; `capped` says
    whether there were more."""

    def __init__(self, object_list, per_page, *, count_key: str, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, count_key=count_key, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Without ORDER BY and annotations: ordering (e.g. by a search rank) inside a capped
        # count makes the database rank every match only to count them. Kept like the list's
        # count (`kept_count`): a search asked again, or its next page, does not count again.
        return kept_count(
            f"{self.count_key}:at most {self.cap + 1}",
            lambda: self.object_list.order_by().values("pk")[: self.cap + 1].count(),
        )

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


class CachedCountPaginator(KeptPaginator):
    """Keeps the count of a long list in the cache until the content changes: counting 50,000
    ideas costs more than fetching the page shown. Each filter and each viewer's visibility has
    its own count (`count_key`), and none outlives a change. Only while the page cache is on
    (`PAGE_CACHE_SECONDS` > 0); otherwise it counts like Django's paginator."""

    @cached_property
    def count(self) -> int:
        return kept_count(self.count_key, lambda: self.object_list.order_by().count())


def kept_count(key: str, count: Callable[[], int]) -> int:
    """`count()`, kept in the cache under the content version and `key`, the caller's name for
    the rows (e.g. `ideas.selectors.idea_list_key`: each filter, search and viewer's visibility
    has its own, and none outlives a change). A name rather than the query's SQL: compiling the
    SQL only to name it cost about 0.4 ms of every list page. Only while the page cache is on
    (`PAGE_CACHE_SECONDS` > 0), and only for models of `PAGE_CACHE_APPS` (a write elsewhere does
    not raise the version)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return count()
    cache_key = f"count:{pagecache.content_version()}:{pagecache.digest(key)}"
    counted = cache.get(cache_key)
    if counted is None:
        counted = count()
        cache.set(cache_key, counted, settings.PAGE_CACHE_SECONDS)
    return counted


def kept_page(page: Page, key: str, build: Callable[[list], T]) -> T:
    """`build(rows)` for the rows of `page`, kept in the shared cache until the content changes,
    under `key` (a name for the rows, their order and what `build` makes of them) and the page's
    place: the same for everyone who sees those rows. The logged-in, whom the page cache does not
    serve, asked the database for them on every request (a search's ranking cost ~4 ms), and
    then rendered them. What `build` returns is pickled (see `shared_per_content_version`)."""
    name = f"page:{pagecache.digest(key, page.number, page.paginator.per_page)}"
    return pagecache.shared_per_content_version(name, lambda: build(list(page.object_list)))
