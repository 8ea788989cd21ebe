"""The one permission of the API: plan feature, key scope and member role, in that order.

Each viewset only declares ``required_feature``, ``required_scope`` and
``required_role``; the decision and its message (naming the plan that unlocks
a feature) are made here.
"""

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from accounts.plans import ANONYMOUS_FEATURES, PLANS, Feature, Plan, plan_unlocking
from accounts.principal import Principal, principal_for_user


class PlanRequired(exceptions.PermissionDenied):
    def __init__(self, feature: Feature, plan: Plan | None, current: Plan):
        needed = plan.name if plan else "a custom"
        super().__init__(
            f"{feature.value.replace('_', ' ').capitalize()} needs the {needed} plan or "
            f"higher; your organisation is on the {current.name} plan."
        )
        self.problem_extra = {"required_plan": plan.slug if plan else None, "feature": feature}


def request_principal(request) -> Principal | None:
    """The Principal of a key, or of a signed-in member (X-Organization picks one)."""
    cached = getattr(request, "_clausewatch_principal", False)
    if cached is not False:
        return cached
    principal = request.auth if isinstance(request.auth, Principal) else None
    user = getattr(request, "user", None)
    if principal is None and user is not None and user.is_authenticated:
        principal = principal_for_user(
            user, organization_slug=request.headers.get("X-Organization")
        )
    request._clausewatch_principal = principal
    return principal


def check_feature(request, feature: Feature) -> Principal | None:
    principal = request_principal(request)
    if principal is None:
        if feature in ANONYMOUS_FEATURES:
            return None
        plan = plan_unlocking(feature)
        raise exceptions.NotAuthenticated(
            f"This needs an API key (Authorization: Bearer <key>) of an organisation on the "
            f"{plan.name if plan else 'Enterprise'} plan or higher."
        )
    if not principal.plan.allows(feature):
        raise PlanRequired(feature, plan_unlocking(feature), principal.plan)
    return principal


def check_history_depth(request, moment) -> None:
    """A plan with a limited history depth may not read the archive as it stood before
    its window (``moment``: an as-of time, or when a version stopped being in force)."""
    principal = request_principal(request)
    cutoff = principal.history_cutoff() if principal else None
    if cutoff is not None and moment < cutoff:
        plan = min(
            (p for p in PLANS.values() if p.history_depth_days is None), key=lambda p: p.rank
        )
        days = principal.plan.history_depth_days
        denied = exceptions.PermissionDenied(
            f"The archive as it stood more than {days} days ago needs the {plan.name} plan or "
            f"higher; your organisation is on the {principal.plan.name} plan."
        )
        denied.problem_extra = {"required_plan": plan.slug, "feature": Feature.HISTORY}
        raise denied


class PlanPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        principal = check_feature(request, view.feature_for_action())
        if principal is None:
            return True
        scope = view.required_scope
        if scope not in principal.scopes:
            raise exceptions.PermissionDenied(f"This API key lacks the '{scope}' scope.")
        role = view.required_role
        if role is not None and principal.role != role:
            raise exceptions.PermissionDenied(f"Only an organisation {role} may do this.")
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        check_feature(request, view.required_feature_for(obj))
        return True
