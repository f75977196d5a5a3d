from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from geraportal.core import pagecache


class CappedPaginator(Paginator):
    """Counts at most `cap` results: counting every match of a broad full-text search costs
    more than finding the first page. Pages beyond the cap are not offered; `capped` says
    whether there were more. The count is kept under the content version and `count_key`
    (`kept_count`), so use it for models of `PAGE_CACHE_APPS` only, whose writes raise that
    version."""

    def __init__(self, object_list, per_page, *, count_key: str, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Without ORDER BY and annotations: ordering (e.g. by a search rank) inside a capped
        # count makes the database rank every match only to count them. Kept like the list's
        # count (`kept_count`): a search asked again, or its next page, does not count again.
        capped = self.object_list.order_by().values("pk")[: self.cap + 1]
        return kept_count(capped, f"{self.count_key}:at most {self.cap + 1}")

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


class CachedCountPaginator(Paginator):
    """Keeps the count of a long list in the cache until the content changes.

    Counting 50,000 ideas costs more than fetching the page shown. The count is kept under
    the page cache's content version (`pagecache.content_version`), which every write to a
    content model raises after it commits, and `count_key`, the caller's name for the rows, so
    each filter and each viewer's visibility has its own count and none outlives a change.
    Only while the page cache is on (`PAGE_CACHE_SECONDS` > 0); otherwise it counts like
    Django's paginator.
    """

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return kept_count(self.object_list.order_by(), self.count_key)


def kept_count(queryset: QuerySet, key: str) -> int:
    """`queryset.count()`, kept in the cache under the content version and `key`, the caller's
    name for the rows (e.g. `ideas.selectors.idea_list_key`: each filter, search and viewer's
    visibility has its own, and none outlives a change). A name rather than the query's SQL:
    compiling the SQL only to name it cost about 0.4 ms of every list page. Only while the page
    cache is on (`PAGE_CACHE_SECONDS` > 0), and only for models of `PAGE_CACHE_APPS` (a write
    elsewhere does not raise the version)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return queryset.count()
    key = f"count:{pagecache.content_version()}:{pagecache.digest(key)}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, settings.PAGE_CACHE_SECONDS)
    return count


def kept_rows(page: Page, key: str) -> list:
    """The rows of `page`, kept in the shared cache until the content changes, under `key` (a
    name for the rows and their order, as the count's) and the page's place: the same for
    everyone who sees those rows, and the logged-in, whom the page cache does not serve, asked
    the database for them on every request (a search's ranking cost ~4 ms). Rows are pickled
    model instances; each reader gets its own copy."""
    name = f"rows:{pagecache.digest(key, page.number, page.paginator.per_page)}"
    return pagecache.shared_per_content_version(name, lambda: list(page.object_list))
