from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` results: counting every match of a broad full-text search costs
    more than finding the first page. Pages beyond the cap are not offered; `capped` says
    whether there were more."""

    def __init__(self, object_list, per_page, *, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Without ORDER BY and annotations: ordering (e.g. by a search rank) inside a capped
        # count makes the database rank every match only to count them.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
