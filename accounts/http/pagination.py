"""Cursor pagination: stable under inserts, ordered by (time, id), page_size checked.

DRF's cursor holds the first ordering field only (the time) and counts an offset past
rows sharing it, which loses or repeats rows when a ``previous`` link is followed across
a page boundary inside a tie (several documents captured at the same second). Here the
cursor holds every ordering field, (time, id), a unique position: a keyset, exact both
ways, with no offset.
"""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination, _reverse_ordering

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
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or (cursor.offset == 0 and self._position_valid(cursor))
        if not valid:
            raise exceptions.ValidationError({"cursor": self.invalid_cursor_message})
        return cursor

    def _position_valid(self, cursor) -> bool:
        if cursor.position is None:
            return True
        try:
            values = json.loads(cursor.position)
        except ValueError:
            return False
        return isinstance(values, list) and len(values) == len(self.ordering) and all(
            isinstance(value, str) and "\x00" not in value for value in values
        )

    def _get_position_from_instance(self, instance, ordering):
        values = [
            instance[name] if isinstance(instance, dict) else getattr(instance, name)
            for name in (field.lstrip("-") for field in ordering)
        ]
        return json.dumps([str(value) for value in values])

    def _after(self, model, position: str, *, reverse: bool) -> Q:
        """Rows after ``position`` in the ordering (before it, ``reverse``): a keyset."""
        after, equal = Q(pk__in=[]), Q()
        for field, raw in zip(self.ordering, json.loads(position), strict=True):
            name = field.lstrip("-")
            model_field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            try:  # a forged cursor can hold anything: a 400, not a database error
                value = model_field.to_python(raw)
            except DjangoValidationError:
                raise exceptions.ValidationError(
                    {"cursor": self.invalid_cursor_message}
                ) from None
            lookup = "lt" if field.startswith("-") != reverse else "gt"
            after |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        return after

    def paginate_queryset(self, queryset, request, view=None):
        # DRF's, with the keyset condition for the position and no offset.
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse, position = (
            (False, None) if self.cursor is None else (self.cursor.reverse, self.cursor.position)
        )
        ordering = _reverse_ordering(self.ordering) if reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if position is not None:
            queryset = queryset.filter(
                self._after(queryset.model, position, reverse=reverse)
            )
        results = list(queryset[: self.page_size + 1])
        self.page = results[: self.page_size]
        following = (
            self._get_position_from_instance(self.page[-1], self.ordering)
            if len(results) > len(self.page) else None
        )
        if reverse:
            self.page.reverse()
            self.has_next, self.next_position = position is not None, position
            self.has_previous, self.previous_position = following is not None, following
        else:
            self.has_next, self.next_position = following is not None, following
            self.has_previous, self.previous_position = position is not None, position
        return self.page

    def get_next_link(self):
        if not self.has_next:
            return None
        position = (
            self._get_position_from_instance(self.page[-1], self.ordering)
            if self.page else self.next_position
        )
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=position))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        position = (
            self._get_position_from_instance(self.page[0], self.ordering)
            if self.page else self.previous_position
        )
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=position))

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
