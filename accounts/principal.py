"""Who is asking: the organisation, its plan, the role and the key's scopes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.keys import key_matches, key_prefix
from accounts.models import ApiKey, Membership, Organization, Scope
from accounts.plans import Plan, plan_get


@dataclass(frozen=True)
class Principal:
    organization: Organization
    plan: Plan
    role: str
    scopes: frozenset[str]
    user: object | None = None
    key: ApiKey | None = None

    def history_cutoff(self, *, now: datetime | None = None) -> datetime | None:
        """The oldest capture this plan may read (None: the whole history)."""
        days = self.plan.history_depth_days
        return None if days is None else (now or timezone.now()) - timedelta(days=days)


class KeyRejected(Exception):
    """The presented key does not authenticate; ``reason`` tells the caller why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def principal_for_key(secret: str) -> Principal:
    prefix = key_prefix(secret)
    # One query: the key, its organisation and creator, and the creator's current role.
    creator_role = Membership.objects.filter(
        organization=OuterRef("organization"), user=OuterRef("created_by")
    ).values("role")[:1]
    key = (
        ApiKey.objects.select_related("organization", "created_by")
        .annotate(creator_role=Subquery(creator_role))
        .filter(prefix=prefix)
        .first()
        if prefix
        else None
    )
    if key is None or not key_matches(secret, key.hashed, pepper=settings.API_KEY_PEPPER):
        raise KeyRejected("This API key is not valid.")
    now = timezone.now()
    if key.revoked_at is not None:
        raise KeyRejected(f"This API key was revoked on {key.revoked_at:%Y-%m-%d}.")
    if key.expires_at is not None and key.expires_at <= now:
        raise KeyRejected(f"This API key expired on {key.expires_at:%Y-%m-%d}.")
    # A key acts with its creator's current role: demoting a person demotes their keys,
    # and a key whose creator left the organisation (or was deleted) has no role at all.
    if key.creator_role is None:
        raise KeyRejected(
            "The person who created this API key is no longer a member of its organisation."
        )
    return Principal(
        organization=key.organization,
        plan=plan_get(key.organization.plan),
        role=key.creator_role,
        scopes=frozenset(key.scopes),
        user=key.created_by,
        key=key,
    )


def principal_for_user(user, *, organization_slug: str | None) -> Principal | None:
    """A signed-in user acts for one organisation: the named one, or their only one."""
    memberships = Membership.objects.select_related("organization").filter(
        user=user, organization__erase_after__isnull=True
    )
    if organization_slug:
        memberships = memberships.filter(organization__slug=organization_slug)
    chosen = list(memberships[:2])
    if len(chosen) != 1:
        return None
    membership = chosen[0]
    return Principal(
        organization=membership.organization,
        plan=plan_get(membership.organization.plan),
        role=membership.role,
        scopes=frozenset(Scope.values),
        user=user,
    )
