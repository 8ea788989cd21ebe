"""Cursor pagination: stable under inserts, ordered by (time, id), page_size checked."""

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class TimeCursorPagination(CursorPagination):
    """Newest first by default; a view sets ``ordering`` to its (time, id) pair."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    ordering = ("-id",)
    invalid_cursor_message = "The cursor is not one this API issued; start again without it."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": f"must be a whole number from 1 to {self.max_page_size}."}
            )
        return size

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError({"cursor": self.invalid_cursor_message}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
        return parameters

    def get_ordering(self, request, queryset, view):
        return getattr(view, "ordering", None) or self.ordering
