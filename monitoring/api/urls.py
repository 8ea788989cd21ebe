from django.urls import path

from monitoring.api import checks, views

_document = "platforms/<slug:platform_slug>/documents/<slug:kind>/"

urlpatterns = [
    path(
        "monitoring/health/",
        views.MonitoringHealthViewSet.as_view({"get": "list"}),
        name="monitoring-health",
    ),
    path(
        _document + "checks/",
        checks.DocumentCheckViewSet.as_view({"get": "list"}),
        name="document-checks",
    ),
    path(
        _document + "held-capture/",
        checks.DocumentHeldCaptureViewSet.as_view({"get": "retrieve"}),
        name="document-held-capture",
    ),
]
