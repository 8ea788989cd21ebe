"""Routes of the read API (under /api/v1/, named in the ``api`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from governance.api import views

router = SimpleRouter()
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("platforms", views.PlatformViewSet, basename="platform")
router.register("versions", views.VersionViewSet, basename="version")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")

_documents = "platforms/<slug:platform_slug>/documents/"

urlpatterns = [
    path(_documents, views.DocumentViewSet.as_view({"get": "list"}), name="document-list"),
    path(
        _documents + "<slug:kind>/",
        views.DocumentViewSet.as_view({"get": "retrieve"}),
        name="document-detail",
    ),
    path(
        _documents + "<slug:kind>/versions/",
        views.DocumentVersionViewSet.as_view({"get": "list"}),
        name="document-versions",
    ),
    path(
        _documents + "<slug:kind>/as-of/",
        views.DocumentViewSet.as_view({"get": "as_of"}),
        name="document-as-of",
    ),
    *router.urls,
]
