"""Who is asking: the organisation, its plan, the role and the key's scopes."""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.keys import key_matches, key_prefix
from accounts.models import ApiKey, Membership, Organization, Scope
from accounts.plans import Plan, plan_get
from accounts.prepared import Param, PreparedValues, instance_from_row


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


_KEY_FIELDS = ApiKey._meta.concrete_fields
_ORGANIZATION_FIELDS = Organization._meta.concrete_fields


@functools.cache
def _user_fields():
    return get_user_model()._meta.concrete_fields  # once the app registry is ready


def _key_lookup(prefix: str):
    # The key, its organisation and creator, and the creator's current role. The prefix
    # is unique and so is (organisation, user) of a membership: no ordering is needed.
    creator_role = (
        Membership.objects.filter(
            organization=OuterRef("organization"), user=OuterRef("created_by")
        )
        .order_by()
        .values("role")[:1]
    )
    return (
        ApiKey.objects.filter(prefix=prefix)
        .order_by()
        .annotate(creator_role=Subquery(creator_role))
        .values(
            *(f.attname for f in _KEY_FIELDS),
            *(f"organization__{f.attname}" for f in _ORGANIZATION_FIELDS),
            *(f"created_by__{f.attname}" for f in _user_fields()),
            "creator_role",
        )
    )


# Every request with a key runs it: compiled once, not per request (accounts/prepared.py).
_KEY_BY_PREFIX = PreparedValues(
    _key_lookup, prefix=Param(ApiKey._meta.get_field("prefix"), "\x00sample prefix\x00")
)


def _key_with_relations(prefix: str) -> ApiKey | None:
    """The key of ``prefix`` with its organisation and creator loaded, in one query, and
    ``creator_role``; the instances are the ones select_related would have built."""
    row = _KEY_BY_PREFIX.first(prefix=prefix)
    if row is None:
        return None
    db = _KEY_BY_PREFIX.using
    key = instance_from_row(ApiKey, db, row, [f.attname for f in _KEY_FIELDS])
    key.organization = instance_from_row(
        Organization, db, row, [f.attname for f in _ORGANIZATION_FIELDS],
        prefix="organization__",
    )
    creator = None
    if row["created_by__id"] is not None:
        creator = instance_from_row(
            get_user_model(), db, row, [f.attname for f in _user_fields()],
            prefix="created_by__",
        )
    key.created_by = creator
    key.creator_role = row["creator_role"]
    return key


def principal_for_key(secret: str) -> Principal:
    prefix = key_prefix(secret)
    key = _key_with_relations(prefix) if prefix else None
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
