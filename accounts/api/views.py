"""The caller's own organisation: account, API keys, members, audit log."""

import redis
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import services
from accounts.api import serializers as s
from accounts.counters import quota_name_for_organization, quota_usage, redis_client
from accounts.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from accounts.http.idempotency import idempotent
from accounts.http.viewsets import ApiViewSet
from accounts.models import ApiKey, AuditEvent, Membership, Role, Scope
from accounts.plans import Feature

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=False,
    description="Retrying with the same key returns the first response.",
)


def _actor(view) -> dict:
    principal = view.principal
    return {
        "actor_user": principal.user if principal.user and principal.user.pk else None,
        "actor_key": principal.key,
        "ip": view.request.META.get("REMOTE_ADDR"),
    }


def _account_error(exc: services.AccountError):
    return ValidationError({"detail": str(exc)})


class AccountViewSet(ApiViewSet):
    """GET: the organisation, its plan, limits and usage. DELETE: close the account."""

    required_feature = Feature.ACCOUNT
    pagination_class = None
    serializer_class = s.AccountSerializer

    def get_permissions(self):
        if self.action == "destroy":
            self.required_scope, self.required_role = Scope.ADMIN, Role.OWNER
        return super().get_permissions()

    def retrieve(self, request):
        principal = self.principal
        organization, plan = principal.organization, principal.plan
        data = {
            "organization": {
                "name": organization.name, "slug": organization.slug,
                "created_at": organization.created_at, "erase_after": organization.erase_after,
            },
            "role": principal.role,
            "plan": {**plan.__dict__, "features": sorted(plan.features)},
            "usage": self._usage(organization.pk),
            "api_key": (
                {"prefix": principal.key.prefix, "scopes": principal.key.scopes}
                if principal.key else None
            ),
        }
        return Response(s.AccountSerializer(data).data)

    def _usage(self, organization_id: int) -> dict | None:
        try:
            minute, day, resets = quota_usage(
                client=redis_client(), name=quota_name_for_organization(organization_id)
            )
        except redis.RedisError:
            return None
        return {"requests_this_minute": minute, "requests_today": day,
                "day_resets_in_seconds": resets}

    @extend_schema(responses={202: s.AccountSerializer})
    def destroy(self, request):
        services.organization_deletion_request(
            organization=self.principal.organization, **_actor(self)
        )
        response = self.retrieve(request)
        response.status_code = status.HTTP_202_ACCEPTED
        return response


class ApiKeyViewSet(mixins.ListModelMixin, ApiViewSet):
    """The organisation's API keys, never with their secrets."""

    required_feature = Feature.ACCOUNT
    serializer_class = s.ApiKeySerializer
    ordering = ("-created_at", "-id")

    def get_permissions(self):
        if self.action in {"create", "destroy"}:
            self.required_scope, self.required_role = Scope.ADMIN, Role.OWNER
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiKey.objects.none()
        return ApiKey.objects.filter(organization=self.principal.organization)

    @extend_schema(
        request=s.ApiKeyCreateSerializer, responses={201: s.ApiKeyCreatedSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        def make() -> Response:
            form = s.ApiKeyCreateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            try:
                key, secret = services.api_key_create(
                    organization=self.principal.organization,
                    name=form.validated_data["name"],
                    scopes=form.validated_data["scopes"],
                    expires_at=form.validated_data.get("expires_at"),
                    created_by=_actor(self)["actor_user"],
                    actor_key=self.principal.key,
                    ip=request.META.get("REMOTE_ADDR"),
                )
            except services.AccountError as exc:
                raise _account_error(exc) from exc
            body = {**s.ApiKeySerializer(key).data, "key": secret}
            return Response(body, status=status.HTTP_201_CREATED)

        return idempotent(request, self.principal.organization, make, redact=("key",))

    @extend_schema(responses={200: s.ApiKeySerializer})
    def destroy(self, request, pk=None):
        """Revoke a key at once (the row stays, for the audit log)."""
        key = get_object_or_404(self.get_queryset(), pk=pk)
        key = services.api_key_revoke(key=key, **_actor(self))
        return Response(s.ApiKeySerializer(key).data)


class MemberViewSet(mixins.ListModelMixin, ApiViewSet):
    """Members of the organisation (owners only)."""

    required_feature = Feature.ACCOUNT
    required_role = Role.OWNER
    serializer_class = s.MembershipSerializer
    ordering = ("created_at", "id")

    def get_permissions(self):
        if self.action in {"create", "destroy"}:
            self.required_scope = Scope.ADMIN
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return Membership.objects.filter(
            organization=self.principal.organization
        ).select_related("user")

    @extend_schema(
        request=s.MemberAddSerializer, responses={201: s.MembershipSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        def make() -> Response:
            form = s.MemberAddSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            try:
                membership = services.member_add(
                    organization=self.principal.organization, **form.validated_data,
                    **_actor(self),
                )
            except services.AccountError as exc:
                raise _account_error(exc) from exc
            return Response(
                s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED
            )

        return idempotent(request, self.principal.organization, make)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        membership = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.member_remove(membership=membership, **_actor(self))
        except services.AccountError as exc:
            raise _account_error(exc) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuditLogViewSet(mixins.ListModelMixin, ApiViewSet):
    """Security-relevant events of the organisation, newest first (owners only)."""

    required_feature = Feature.ACCOUNT
    required_role = Role.OWNER
    serializer_class = s.AuditEventSerializer
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        return AuditEvent.objects.filter(
            organization=self.principal.organization
        ).select_related("actor_user", "actor_key")
