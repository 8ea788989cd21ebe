"""The changes feed and one change: ``GET /api/v1/changes/`` and ``/changes/{version_id}/``.

Every change of every document, newest first, cursor-paginated by (captured_at, id);
a change is addressed by the id of the version it produced. Technical versions (a
change of our extraction, not of a document) are left out unless ``technical=true``
(only them) or ``technical=all``.

Any key may read it (Feature.HISTORY); what it shows depends on the plan, decided in
one place (``REPRESENTATIONS``): with change summaries (Professional and up) a change
comes whole (counts, summary, significance, flags, how it was made); the Free plan
sees where and when something changed and its title, within its history window
(changes captured in the last 365 days), and the filters that read the analysis
(``significance``, ``flag``) answer 403 naming the plan that has them.
"""

from dataclasses import dataclass

from django.http import Http404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from accounts.http.pagination import TimeCursorPagination
from accounts.http.permissions import check_feature, check_history_depth
from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from governance import history
from governance.api.change_serializers import (
    ATTRIBUTION_SCHEMA,
    DISCLAIMER,
    DISCLAIMER_SCHEMA,
    ChangeDetailSerializer,
    ChangeSerializer,
    ChangeTitleDetailSerializer,
    ChangeTitleSerializer,
)
from governance.api.history_params import ChangesQuerySerializer
from governance.api.ids import canonical_id
from governance.importing import ATTRIBUTION
from governance.models import Change, Version


@dataclass(frozen=True)
class Representation:
    feature: Feature
    serializer: type[serializers.Serializer]
    detail_serializer: type[serializers.Serializer]
    with_details: bool  # load the version's dates and the flags


# The first row whose feature the caller's plan has decides how changes look to it.
REPRESENTATIONS = (
    Representation(Feature.CHANGE_SUMMARIES, ChangeSerializer, ChangeDetailSerializer,
                   with_details=True),
    Representation(Feature.HISTORY, ChangeTitleSerializer, ChangeTitleDetailSerializer,
                   with_details=False),
)
# Filters that read the analysis itself: only for plans that are shown it.
PAID_PARAMETERS = {"significance": Feature.CHANGE_SUMMARIES, "flag": Feature.CHANGE_SUMMARIES}

CHANGE_SCHEMA = PolymorphicProxySerializer(
    component_name="ChangeListEntry",
    serializers={"full": ChangeSerializer, "title": ChangeTitleSerializer},
    resource_type_field_name="representation",
)
CHANGE_DETAIL_SCHEMA = PolymorphicProxySerializer(
    component_name="ChangeOne",
    serializers={"full": ChangeDetailSerializer, "title": ChangeTitleDetailSerializer},
    resource_type_field_name="representation",
)


class ChangesPagination(TimeCursorPagination):
    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "disclaimer": DISCLAIMER_SCHEMA, "attribution": ATTRIBUTION_SCHEMA,
            **paginated["properties"],
        }
        paginated["required"] = ["disclaimer", "attribution", *paginated.get("required", [])]
        return paginated


class ChangeViewSet(mixins.ListModelMixin, ApiViewSet):
    """Changes of every document, newest first; by plan, whole or as titles."""

    required_feature = Feature.HISTORY
    pagination_class = ChangesPagination
    ordering = ("-captured_at", "-id")
    lookup_field = "version_id"

    def representation(self) -> Representation:
        plan = self.principal.plan if self.principal else None
        for representation in REPRESENTATIONS:
            if plan is not None and plan.allows(representation.feature):
                return representation
        return REPRESENTATIONS[0]  # schema generation: no caller

    def get_serializer_class(self):
        representation = self.representation()
        if self.action == "retrieve":
            return representation.detail_serializer
        return representation.serializer

    @extend_schema(parameters=[ChangesQuerySerializer], responses={200: CHANGE_SCHEMA})
    def list(self, request, *args, **kwargs):
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        for name, feature in PAID_PARAMETERS.items():
            if name in query.validated_data:
                check_feature(request, feature)
        self.query = query.validated_data
        unknown = history.feed_slugs_unknown(
            platforms=self.query.get("platform", ()), kinds=self.query.get("kind", ())
        )
        if unknown:
            raise serializers.ValidationError(
                {name: f"not in the archive: {', '.join(values)}."
                 for name, values in unknown.items()}
            )
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Change.objects.none()
        query = self.query
        return history.changes_feed(
            platforms=query.get("platform", ()), kinds=query.get("kind", ()),
            significance=query.get("significance", ()), flags=query.get("flag", ()),
            since=query.get("since"), until=query.get("until"), origin=query.get("origin"),
            technical=query["technical"],
            cutoff=self.principal.history_cutoff() if self.principal else None,
            with_details=self.representation().with_details,
        )

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"disclaimer": DISCLAIMER, "attribution": ATTRIBUTION, **response.data}
        return response

    @extend_schema(responses={200: CHANGE_DETAIL_SCHEMA})
    def retrieve(self, request, version_id=None):
        """The change a version made to its predecessor."""
        pk = canonical_id(version_id)
        change = None if pk is None else history.change_get(
            version_id=pk, with_details=self.representation().with_details
        )
        if change is None:
            if pk is not None and Version.objects.filter(pk=pk).exists():
                raise Http404(
                    f"Version {pk} is the first version of its document: it changed nothing."
                )
            raise Http404(f"No version {version_id}.")
        # Until it, the previous text was in force: the moment a history window asks about.
        check_history_depth(request, change.captured_at)
        return Response(self.get_serializer(change).data)
