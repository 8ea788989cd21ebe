"""Routes of the read API (under /api/v1/, named in the ``api`` namespace)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from governance.api import changes, diffs, provisions, search, sources, timelines, views

router = SimpleRouter()
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("platforms", views.PlatformViewSet, basename="platform")
router.register("versions", views.VersionViewSet, basename="version")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")
router.register("changes", changes.ChangeViewSet, basename="change")

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
    path(
        _documents + "<slug:kind>/sources/",
        sources.DocumentSourceViewSet.as_view({"get": "retrieve"}),
        name="document-sources",
    ),
    path(
        "versions/<str:pk>/diff/",
        diffs.VersionDiffViewSet.as_view({"get": "retrieve"}),
        name="version-diff",
    ),
    path(
        "platforms/<slug:slug>/timeline/",
        timelines.PlatformTimelineViewSet.as_view({"get": "list"}),
        name="platform-timeline",
    ),
    path(
        _documents + "<slug:kind>/timeline/",
        timelines.DocumentTimelineViewSet.as_view({"get": "list"}),
        name="document-timeline",
    ),
    re_path(
        rf"^provisions/(?P<lineage_id>{provisions.LINEAGE_ID_PATTERN})/history/$",
        provisions.ProvisionHistoryViewSet.as_view({"get": "retrieve"}),
        name="provision-history",
    ),
    path("search/", search.SearchViewSet.as_view({"get": "search"}), name="search"),
    *router.urls,
]
