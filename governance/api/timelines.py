"""Timelines: every version of a platform's documents, or of one document, in order.

``GET /api/v1/platforms/{slug}/timeline/`` and ``.../documents/{kind}/timeline/``
(Feature.TIMELINES, Professional and up). Oldest first by default (a timeline reads
forward; ``?order=-captured_at`` for newest first), cursor-paginated by
(captured_at, id). Each entry is a version with the change it made (null for a first
version): title, significance and its rule, counts, flags, how it was made.

A renamed service keeps its history: the platforms retired into this one (and theirs)
come first unless ``include_predecessors=false``, each entry naming its platform;
a retired platform's own timeline ends at its retirement and names its successor.
The envelope says which platforms a page spans.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.reverse import reverse

from accounts.http.pagination import TimeCursorPagination
from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from governance import history
from governance.api.change_serializers import (
    ATTRIBUTION_SCHEMA,
    DISCLAIMER,
    DISCLAIMER_SCHEMA,
    TimelineEntrySerializer,
)
from governance.api.history_params import (
    PlatformTimelineQuerySerializer,
    TimelineQuerySerializer,
)
from governance.importing import ATTRIBUTION
from governance.models import Platform, Version


def _platform_ref(platform: Platform | None, request) -> dict | None:
    if platform is None:
        return None
    return {
        "slug": platform.slug,
        "name": platform.name,
        "retired_at": (serializers.DateTimeField().to_representation(platform.retired_at)
                       if platform.retired_at else None),
        "timeline_url": reverse(
            "api:platform-timeline", kwargs={"slug": platform.slug}, request=request
        ),
    }


_PLATFORM_REF_SCHEMA = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "retired_at": {"type": "string", "format": "date-time", "nullable": True},
        "timeline_url": {"type": "string", "format": "uri"},
    },
}

ENVELOPE_SCHEMA = {
    "platform": {
        **_PLATFORM_REF_SCHEMA,
        "properties": {
            **_PLATFORM_REF_SCHEMA["properties"],
            "successor": {**_PLATFORM_REF_SCHEMA, "nullable": True,
                          "description": "Where a retired platform's history continues."},
            "predecessors": {"type": "array", "items": _PLATFORM_REF_SCHEMA,
                             "description": "Platforms retired into this one whose "
                                            "history this timeline includes."},
        },
    },
    "disclaimer": DISCLAIMER_SCHEMA,
    "attribution": ATTRIBUTION_SCHEMA,
}


class TimelinePagination(TimeCursorPagination):
    """Cursor pages with the timeline's envelope (platform, disclaimer) ahead of them."""

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {**ENVELOPE_SCHEMA, **paginated["properties"]}
        paginated["required"] = [*ENVELOPE_SCHEMA, *paginated.get("required", [])]
        return paginated


class _TimelineViewSet(mixins.ListModelMixin, ApiViewSet):
    required_feature = Feature.TIMELINES
    serializer_class = TimelineEntrySerializer
    pagination_class = TimelinePagination
    query_serializer_class: type[serializers.Serializer] = TimelineQuerySerializer
    ordering = ("captured_at", "id")

    def list(self, request, *args, **kwargs):
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.query = query.validated_data
        if self.query["order"] == "-captured_at":
            self.ordering = ("-captured_at", "-id")
        return super().list(request, *args, **kwargs)

    def platform_line(self, kind: str | None = None) -> history.PlatformLine:
        # The platform timeline is under platforms/{slug}/, the document's under
        # platforms/{platform_slug}/documents/{kind}/, as their neighbours are.
        slug = self.kwargs.get("slug") or self.kwargs["platform_slug"]
        line = history.platform_line(
            slug=slug, kind=kind,
            include_predecessors=self.query["include_predecessors"] == "true",
        )
        if line is None:
            raise Http404(f"No platform {slug!r}.")
        return line

    def timeline(self, line: history.PlatformLine, kind: str | None):
        self.line = line
        return history.timeline_versions(
            platform_ids=line.platform_ids, kind=kind,
            since=self.query.get("since"), until=self.query.get("until"),
            significance=self.query.get("significance", ()),
            technical=self.query["technical"],
            cutoff=self.principal.history_cutoff() if self.principal else None,
        )

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        platform = self.line.platform
        envelope = {
            "platform": {
                **_platform_ref(platform, self.request),
                "successor": _platform_ref(platform.successor, self.request),
                "predecessors": [_platform_ref(p, self.request) for p in self.line.predecessors],
            },
            "disclaimer": DISCLAIMER,
            "attribution": ATTRIBUTION,
        }
        response.data = {**envelope, **response.data}
        return response


class PlatformTimelineViewSet(_TimelineViewSet):
    """Every version of every document of a platform (and of its predecessors), in order."""

    query_serializer_class = PlatformTimelineQuerySerializer

    @extend_schema(parameters=[PlatformTimelineQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Version.objects.none()
        kind = self.query.get("kind")
        line = self.platform_line(kind=kind)
        if kind is not None and not line.has_document:
            kinds = history.document_kinds(platform_ids=line.platform_ids)
            if kind not in kinds:
                raise serializers.ValidationError({"kind": (
                    f"{line.platform.slug} has no {kind!r} document; its kinds: "
                    f"{', '.join(kinds) or 'none'}."
                )})
        return self.timeline(line, kind)


class DocumentTimelineViewSet(_TimelineViewSet):
    """Every version of one document (and of the same kind of its predecessors), in order."""

    @extend_schema(parameters=[TimelineQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Version.objects.none()
        kind = self.kwargs["kind"]
        line = self.platform_line(kind=kind)
        if not line.has_document:
            raise Http404(f"{line.platform.slug} has no {kind!r} document.")
        return self.timeline(line, kind)
