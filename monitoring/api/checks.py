"""A document's checks, and the capture held back from its history, through the API.

``GET .../documents/{kind}/checks/`` lists every check (newest first) and says, of
each suspect capture, whether it is still held, was confirmed (a version came of it)
or was cleared. ``GET .../documents/{kind}/held-capture/`` answers the one question a
reader of the document asks: is a capture of it being held back right now?
"""

import django_filters
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from governance.api.moments import parse_moment
from governance.api.serializers import NULLABLE_URI, SnapshotSerializer
from governance.models import Document
from monitoring.models import Check
from monitoring.selectors import Hold, check_held, check_holds, check_queryset, document_monitored


def _version_url(serializer: serializers.Serializer, version_id: int | None) -> str | None:
    if version_id is None:
        return None
    return reverse(
        "api:version-detail", kwargs={"pk": version_id}, request=serializer.context.get("request")
    )


class HoldSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[hold.value for hold in Hold],
        help_text="pending: held, a recheck is due; confirmed: the recheck saw the same text "
                  "and a version came of it; cleared: the page came back, or changed again.",
    )
    resolved_by = serializers.IntegerField(
        allow_null=True, help_text="The check that confirmed or cleared it."
    )
    version = serializers.IntegerField(
        source="version_id", allow_null=True, help_text="The version it became (confirmed)."
    )
    version_url = serializers.SerializerMethodField()
    recheck_due_at = serializers.DateTimeField(allow_null=True, help_text="Pending only.")

    @extend_schema_field(NULLABLE_URI)
    def get_version_url(self, hold) -> str | None:
        return _version_url(self, hold.version_id)


class CheckSerializer(serializers.ModelSerializer):
    http_status = serializers.IntegerField(read_only=True, allow_null=True)
    bytes_fetched = serializers.IntegerField(read_only=True)
    duration_ms = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(source="version_id", read_only=True, allow_null=True)
    version_url = serializers.SerializerMethodField()
    snapshots = SnapshotSerializer(many=True, read_only=True)
    hold = HoldSerializer(
        source="hold_state", read_only=True, allow_null=True,
        help_text="Of a suspect capture only: what became of it; null for other outcomes.",
    )

    class Meta:
        model = Check
        fields = [
            "id", "started_at", "finished_at", "outcome", "reason", "transient", "http_status",
            "bytes_fetched", "duration_ms", "version", "version_url", "snapshots", "hold",
        ]

    @extend_schema_field(NULLABLE_URI)
    def get_version_url(self, check: Check) -> str | None:
        return _version_url(self, check.version_id)


class CheckFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Check.Outcome.choices)
    since = django_filters.CharFilter(
        method="filter_since",
        help_text="Started at or after this date (start of day, UTC) or timestamp.",
    )
    until = django_filters.CharFilter(
        method="filter_until",
        help_text="Started at or before this date (end of day, UTC) or timestamp.",
    )

    class Meta:
        model = Check
        fields = ["outcome", "since", "until"]

    def filter_since(self, queryset, name, value):
        return queryset.filter(started_at__gte=parse_moment(value, field=name, end_of_day=False))

    def filter_until(self, queryset, name, value):
        return queryset.filter(started_at__lte=parse_moment(value, field=name, end_of_day=True))


class _DocumentMixin:
    """The document of the URL (404 problem if none), with its schedule, loaded once."""

    def _document(self) -> Document:
        if not hasattr(self, "_monitored_document"):
            document = document_monitored(
                platform_slug=self.kwargs["platform_slug"], kind=self.kwargs["kind"]
            )
            if document is None:
                raise Http404("No Document matches the given query.")
            self._monitored_document = document
        return self._monitored_document


class DocumentCheckViewSet(_DocumentMixin, mixins.ListModelMixin, ApiViewSet):
    """Every check of one document, newest first, and what became of suspect captures.

    A History endpoint like the versions list: checks show when the archive looked
    and what it saw, including the evidence of captures that never became versions.
    A plan with a limited history depth sees the checks started within it.
    """

    required_feature = Feature.HISTORY
    serializer_class = CheckSerializer
    filterset_class = CheckFilter
    ordering = ("-started_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Check.objects.none()
        principal = self.principal
        cutoff = principal.history_cutoff() if principal else None
        return check_queryset(document=self._document(), cutoff=cutoff)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        holds = check_holds(checks=page, schedule=self._document().held_schedule)
        for check in page:
            check.hold_state = holds.get(check.pk)
        return page


class HeldCaptureSerializer(serializers.Serializer):
    check = serializers.IntegerField(source="pk")
    captured_at = serializers.DateTimeField(source="started_at")
    reason = serializers.CharField()
    snapshots = SnapshotSerializer(many=True)
    recheck_due_at = serializers.DateTimeField()


class DocumentHeldCaptureSerializer(serializers.Serializer):
    platform = serializers.CharField(source="document.platform.slug")
    kind = serializers.CharField(source="document.kind")
    held_capture = HeldCaptureSerializer(allow_null=True)
    checks_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_checks_url(self, data) -> str:
        document = data["document"]
        return reverse(
            "api:document-checks",
            kwargs={"platform_slug": document.platform.slug, "kind": document.kind},
            request=self.context.get("request"),
        )


class DocumentHeldCaptureViewSet(_DocumentMixin, ApiViewSet):
    """The capture of a document held back as suspect right now, or null.

    Its own small resource rather than a field of the checks list: a page of a cursor
    list keeps the one shape every list has ({next, previous, results}) and would
    repeat document-level state on every page, while "is anything held, and when is
    the recheck" is a single object a client polls. Monitoring owns the hold, so it
    answers here: governance (the document detail) must not import monitoring.
    """

    required_feature = Feature.HISTORY
    pagination_class = None
    filter_backends = []

    @extend_schema(responses={200: DocumentHeldCaptureSerializer})
    def retrieve(self, request, platform_slug=None, kind=None):
        document = self._document()
        held = check_held(document=document)
        if held is not None:
            held.recheck_due_at = document.held_schedule.next_check_at
        data = {"document": document, "held_capture": held}
        return Response(
            DocumentHeldCaptureSerializer(data, context=self.get_serializer_context()).data
        )
