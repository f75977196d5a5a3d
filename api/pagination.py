"""Cursor pagination with a stable order: every ordering ends with the primary key.

A cursor stays valid while rows are added (no page shifts as with page numbers) and costs
no COUNT over the whole table. Bad input is refused with 400, never silently corrected: a
client asking for 10,000 rows should learn that it gets at most `API_MAX_PAGE_SIZE`.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    ordering = ("-pk",)

    def __init__(self, max_page_size: int | None = None) -> None:
        self.max_page_size = max_page_size or settings.API_MAX_PAGE_SIZE
        self.page_size = settings.API_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        return tuple(view.get_ordering())

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ParseError(
                _("page_size must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            )
        return size

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as error:  # DRF answers a bad cursor with 404; it is a bad request
            raise ParseError(
                _("The cursor is not valid. Use the address in `next` or `previous`.")
            ) from error

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        return response
