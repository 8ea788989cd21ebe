"""GET /api/v1/monitoring/health/: documents that keep failing to be checked."""

from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers

from accounts.http.viewsets import ApiViewSet
from accounts.plans import Feature
from monitoring.models import Check
from monitoring.selectors import schedules_unhealthy


class UnhealthyDocumentSerializer(serializers.Serializer):
    platform = serializers.CharField(source="document.platform.slug")
    kind = serializers.CharField(source="document.kind")
    consecutive_failures = serializers.IntegerField()
    last_checked_at = serializers.DateTimeField(allow_null=True)
    next_check_at = serializers.DateTimeField()
    last_failure_reason = serializers.CharField(allow_null=True)


class MonitoringHealthViewSet(mixins.ListModelMixin, ApiViewSet):
    """Documents whose recent checks all failed, with the last reason (Enterprise)."""

    required_feature = Feature.MONITORING_HEALTH
    serializer_class = UnhealthyDocumentSerializer
    ordering = ("-consecutive_failures", "id")

    def get_queryset(self):
        last_reason = (
            Check.objects.filter(document=OuterRef("document"), outcome=Check.Outcome.FAILED)
            .order_by("-started_at", "-id")
            .values("reason")[:1]
        )
        return schedules_unhealthy().annotate(last_failure_reason=Subquery(last_reason))

    @extend_schema(summary="Unhealthy documents")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
