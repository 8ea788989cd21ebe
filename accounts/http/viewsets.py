"""The base class of every API viewset: where access and plan gates are decided once.

Viewsets elsewhere stay declarative (queryset, serializer, filterset); they only
name what they need (``required_feature`` from the subscribers issue) and this
class enforces it.
"""

from rest_framework import mixins, viewsets

from accounts.http.negotiation import StrictContentNegotiation
from accounts.http.pagination import TimeCursorPagination


class ApiViewSet(viewsets.GenericViewSet):
    pagination_class = TimeCursorPagination
    content_negotiation_class = StrictContentNegotiation
    #: The plan feature this endpoint needs; None means the public catalogue.
    required_feature: str | None = None


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass
