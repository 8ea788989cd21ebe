from django.urls import path

from monitoring.api import views

urlpatterns = [
    path(
        "monitoring/health/",
        views.MonitoringHealthViewSet.as_view({"get": "list"}),
        name="monitoring-health",
    ),
]
