from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from monitoring import ops

# Every versioned endpoint, in one "api" namespace whichever app serves it.
api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("monitoring.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # Operations, outside /api/ and its conventions: probes and the Prometheus scrape.
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("", include("django_prometheus.urls")),
]

handler404 = "accounts.http.problems.not_found_view"
handler500 = "accounts.http.problems.server_error_view"
