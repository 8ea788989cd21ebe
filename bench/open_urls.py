"""BENCH_GATE=off: bench/baseline_urls.py with the archive endpoints the benchmark loads
served ungated: no authentication, no throttle, AllowAny.

The same paths as the project's, matched first; their names (for reverse(), so the
links in bodies) stay the project's. Used by bench/settings.py only.
"""

from django.urls import path
from rest_framework.permissions import AllowAny

from bench.baseline_urls import bare, handler404, handler500  # noqa: F401
from bench.baseline_urls import urlpatterns as baseline_urlpatterns
from governance.api.views import DocumentVersionViewSet, VersionViewSet


class _Ungated:
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class OpenDocumentVersionViewSet(_Ungated, DocumentVersionViewSet):
    pass


class OpenVersionViewSet(_Ungated, VersionViewSet):
    pass


urlpatterns = [
    path(
        "api/v1/platforms/<slug:platform_slug>/documents/<slug:kind>/versions/",
        OpenDocumentVersionViewSet.as_view({"get": "list"}),
    ),
    path("api/v1/versions/<str:pk>/", OpenVersionViewSet.as_view({"get": "retrieve"})),
    *baseline_urlpatterns,
]
