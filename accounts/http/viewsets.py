"""The base class of every API viewset: where access and plan gates are decided once.

Viewsets elsewhere stay declarative (queryset, serializer, filterset); they only
name what they need and this class enforces it:

- ``required_feature``: the plan feature (accounts.plans.Feature) the endpoint needs,
  ``action_features`` per extra action; ``required_feature_for(obj)`` may ask more of a
  particular object;
- ``required_scope``: the API key scope (read by default);
- ``required_role``: the member role, when only owners may act.
"""

from rest_framework import exceptions, mixins, viewsets
from rest_framework.authentication import SessionAuthentication

from accounts.http.authentication import ApiKeyAuthentication
from accounts.http.negotiation import StrictContentNegotiation
from accounts.http.pagination import TimeCursorPagination
from accounts.http.permissions import PlanPermission, request_principal
from accounts.http.throttling import PlanRateThrottle, rate_limit_headers
from accounts.models import Scope
from accounts.plans import Feature


class ApiViewSet(viewsets.GenericViewSet):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [PlanPermission]
    throttle_classes = [PlanRateThrottle]
    pagination_class = TimeCursorPagination
    content_negotiation_class = StrictContentNegotiation

    required_feature: Feature = Feature.CATALOGUE
    #: Per-action exceptions to ``required_feature`` ({"as_of": Feature.HISTORY}).
    action_features: dict[str, Feature] = {}
    required_scope: str = Scope.READ
    required_role: str | None = None

    def initial(self, request, *args, **kwargs):
        # DRF's order is authenticate, permissions, throttles. Here the request is counted
        # before permissions are checked, so refusals (401, 403) carry X-RateLimit-* too
        # and cost quota; a key that fails to authenticate counts against its address.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = (
            self.perform_content_negotiation(request)
        )
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )
        try:
            self.perform_authentication(request)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)
            raise
        self.check_throttles(request)
        self.check_permissions(request)

    def feature_for_action(self) -> Feature:
        return self.action_features.get(self.action, self.required_feature)

    def required_feature_for(self, obj) -> Feature:
        return self.feature_for_action()

    @property
    def principal(self):
        return request_principal(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        rate_limit_headers(request, response)
        return response


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass
