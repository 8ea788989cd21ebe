"""Read API over the archive. Viewsets stay declarative; reads go through selectors."""

from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.http.caching import cache_headers, etag_matches
from accounts.http.permissions import check_history_depth
from accounts.http.viewsets import ApiViewSet, ReadOnlyApiViewSet
from accounts.plans import Feature
from governance import selectors
from governance.api import serializers as s
from governance.api.cache import BodyCacheMixin, body_cache_key, cached_response
from governance.api.filters import PlatformFilter, VersionFilter
from governance.api.moments import parse_moment
from governance.models import Document, Provider, Snapshot, Version
from governance.selectors import snapshot_open


class ProviderViewSet(ReadOnlyApiViewSet):
    """Companies behind the platforms."""

    queryset = Provider.objects.all()
    serializer_class = s.ProviderSerializer
    lookup_field = "slug"
    ordering = ("slug",)


class PlatformViewSet(ReadOnlyApiViewSet):
    """Services that publish governance documents; renamed ones are retired, not deleted."""

    queryset = selectors.platform_queryset()
    serializer_class = s.PlatformSerializer
    filterset_class = PlatformFilter
    lookup_field = "slug"
    ordering = ("slug",)


AS_OF_PARAMETER = OpenApiParameter(
    "as_of", OpenApiTypes.STR, required=True,
    description="A date (the end of that day, UTC) or an ISO 8601 timestamp.",
)


class DocumentViewSet(ReadOnlyApiViewSet):
    """A platform's governance documents, addressed by kind slug."""

    action_features = {"as_of": Feature.HISTORY}
    serializer_class = s.DocumentSerializer
    lookup_field = "kind"
    ordering = ("kind",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Document.objects.none()
        platform = get_object_or_404(
            selectors.platform_queryset(), slug=self.kwargs["platform_slug"]
        )
        self.platform = platform
        return selectors.document_queryset(platform=platform)

    def get_serializer_class(self):
        return s.DocumentDetailSerializer if self.action == "retrieve" else s.DocumentSerializer

    def get_object(self):
        document = super().get_object()
        document.latest_version = selectors.version_latest_summary(document=document)
        return document

    @extend_schema(
        responses={200: s.AsOfSerializer},
        parameters=[AS_OF_PARAMETER],
        filters=False,
    )
    @action(detail=True, url_path="as-of")
    def as_of(self, request, platform_slug=None, kind=None):
        """The version in force at a moment: the last one captured at or before it."""
        raw = request.query_params.get("as_of")
        if not raw:
            raise ValidationError({"as_of": "is required: a date or an ISO 8601 timestamp."})
        moment = parse_moment(raw, field="as_of", end_of_day=True)
        check_history_depth(request, moment)
        document = super().get_object()
        version = selectors.version_as_of(document=document, moment=moment)
        if version is None:
            first = selectors.version_first_captured_at(document=document)
            detail = f"{document} has no version captured at or before {moment.isoformat()}."
            if first:
                detail += f" Its first capture is {first.isoformat()}."
            raise Http404(detail)
        platform = document.platform
        retired = platform.retired_at is not None and moment >= platform.retired_at
        notice = None
        if retired:
            notice = f"{platform.name} was retired on {platform.retired_at.date().isoformat()}"
            successor = platform.successor
            notice += f"; its successor is {successor.slug}." if successor else "."
        data = {"as_of": moment, "in_force": not retired, "notice": notice, "version": version}
        return Response(s.AsOfSerializer(data, context=self.get_serializer_context()).data)


# The query parameters a versions page depends on; a request with any other is not cached
# (it is answered all the same), so that made-up parameters cannot fill the cache.
_VERSIONS_LIST_PARAMETERS = frozenset(
    {"cursor", "page_size", "captured_after", "captured_before", "technical", "format"}
)


class DocumentVersionViewSet(BodyCacheMixin, mixins.ListModelMixin, ApiViewSet):
    """Every version of one document, newest first."""

    required_feature = Feature.HISTORY
    serializer_class = s.VersionSummarySerializer
    filterset_class = VersionFilter
    ordering = ("-captured_at", "-id")

    def list(self, request, *args, **kwargs):
        document = self._document()
        key = None
        if set(request.query_params) <= _VERSIONS_LIST_PARAMETERS:
            # A page is fixed by the document's versions (append-only: their number and
            # the newest id say whether any came or went), by what the caller's plan may
            # see of them (with a window, how many: the visible set only shrinks as the
            # window moves, so its size names it), and by the query string, verbatim.
            visible = "all" if self._cutoff() is None else document.version_visible
            key = body_cache_key(
                request, "versions", document.pk, document.version_total,
                document.version_last_id, visible, request.META.get("QUERY_STRING", ""),
            )
            cached = cached_response(key)
            if cached is not None:
                return cached
        response = super().list(request, *args, **kwargs)
        response.body_cache_key = key
        return response

    def _cutoff(self):
        """The caller's history window, fixed once per request (page and key agree)."""
        if not hasattr(self, "_history_cutoff"):
            self._history_cutoff = self.principal.history_cutoff() if self.principal else None
        return self._history_cutoff

    def _document(self) -> Document:
        if not hasattr(self, "_marked_document"):
            document = selectors.document_version_marks(
                platform_slug=self.kwargs["platform_slug"], kind=self.kwargs["kind"],
                cutoff=self._cutoff(),
            )
            if document is None:
                raise Http404("No Document matches the given query.")
            self._marked_document = document
        return self._marked_document

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Version.objects.none()
        versions = selectors.version_summary_queryset(document=self._document())
        cutoff = self._cutoff()
        if cutoff is None:
            return versions
        # A limited plan sees every version in force at some time within its window.
        return versions.filter(Q(captured_at__gte=cutoff) | Q(successor__captured_at__gte=cutoff))


class VersionViewSet(BodyCacheMixin, ApiViewSet):
    """One version: its text, provisions, dates, hashes and evidence."""

    queryset = selectors.version_detail_queryset()
    serializer_class = s.VersionDetailSerializer

    def get_object(self):
        # The gates (404, plan feature, history depth) on a light row; the whole version
        # is loaded only when its body is not cached.
        version = selectors.version_gate(pk=self.kwargs["pk"])
        if version is None:
            raise Http404("No Version matches the given query.")
        self.check_object_permissions(self.request, version)
        return version

    def required_feature_for(self, version) -> Feature:
        # The latest text of every document is public; the past is history.
        if getattr(version, "successor", None) is None:
            return Feature.CATALOGUE
        # In force until its successor's capture: that is the moment the plan's window asks about.
        check_history_depth(self.request, version.successor.captured_at)
        return Feature.HISTORY

    @extend_schema(responses={200: s.VersionDetailSerializer, 304: None})
    def retrieve(self, request, pk=None):
        version = self.get_object()
        successor_id = _successor_id(version)
        # The text never changes; only the "next" link appears once, when a successor does.
        etag = f'"{version.chain_hash}.{successor_id}"'
        if etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            response = cached_response(self._body_key(version))
            if response is None:
                version = get_object_or_404(selectors.version_detail_queryset(), pk=version.pk)
                # Should a successor have come meanwhile, it changes the gates and the ETag.
                self.check_object_permissions(request, version)
                successor_id = _successor_id(version)
                etag = f'"{version.chain_hash}.{successor_id}"'
                response = Response(self.get_serializer(version).data)
                response.body_cache_key = self._body_key(version)
        return cache_headers(response, etag=etag, immutable=successor_id != 0)

    def _body_key(self, version: Version) -> str:
        # Besides the ETag's parts: the id (in the body) and ?format=, which DRF carries
        # over into the links it writes.
        return body_cache_key(
            self.request, "version", version.pk, version.chain_hash, _successor_id(version),
            self.request.query_params.get("format", ""),
        )


def _successor_id(version: Version) -> int:
    successor = getattr(version, "successor", None)
    return successor.pk if successor is not None else 0


class SnapshotViewSet(ApiViewSet):
    """Raw captured bytes, as evidence: always an attachment, never rendered here."""

    required_feature = Feature.HISTORY
    queryset = Snapshot.objects.order_by("id")
    lookup_field = "sha256"
    lookup_value_regex = "[0-9a-f]{64}"
    pagination_class = None

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The bytes as captured."
            ),
            304: None,
        }
    )
    def retrieve(self, request, sha256=None):
        snapshot = self.get_queryset().filter(sha256=sha256).first()
        if snapshot is None:
            raise Http404(f"No snapshot with sha256 {sha256}.")
        # Raw bytes are the text itself: a plan's history depth limits them as it does versions.
        principal = self.principal
        if principal is not None and principal.history_cutoff() is not None:
            moment = selectors.snapshot_capture_moment(snapshot=snapshot)
            if moment is not None:
                check_history_depth(request, moment)
        etag = f'"{snapshot.sha256}"'
        if etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            response = FileResponse(
                snapshot_open(snapshot=snapshot),
                as_attachment=True,
                filename=f"{snapshot.sha256}{_extension(snapshot.media_type)}",
                content_type=snapshot.media_type,
            )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return cache_headers(response, etag=etag, immutable=True)


def _extension(media_type: str) -> str:
    base = media_type.split(";")[0].strip().lower()
    return {
        "text/html": ".html", "text/markdown": ".md", "text/plain": ".txt",
        "application/pdf": ".pdf",
    }.get(base, ".bin")
