"""Routes of the account endpoints (under /api/v1/account/)."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path(
        "account/",
        views.AccountViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="account",
    ),
    path(
        "account/api-keys/",
        views.ApiKeyViewSet.as_view({"get": "list", "post": "create"}),
        name="api-key-list",
    ),
    path(
        "account/api-keys/<int:pk>/",
        views.ApiKeyViewSet.as_view({"delete": "destroy"}),
        name="api-key-detail",
    ),
    path(
        "account/members/",
        views.MemberViewSet.as_view({"get": "list", "post": "create"}),
        name="member-list",
    ),
    path(
        "account/members/<int:pk>/",
        views.MemberViewSet.as_view({"delete": "destroy"}),
        name="member-detail",
    ),
    path(
        "account/audit-log/",
        views.AuditLogViewSet.as_view({"get": "list"}),
        name="audit-log",
    ),
]
