"""Writes of the accounts app: organisations, members, keys, plans, the audit log."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.keys import NewKey, key_generate, key_hash
from accounts.models import (
    ApiKey,
    AuditEvent,
    IdempotencyRecord,
    Membership,
    Organization,
    Role,
    Scope,
)
from accounts.plans import PLANS

Action = AuditEvent.Action
ALL_SCOPES = [scope.value for scope in Scope]
# last_used_at is refreshed at most this often, so a busy key does not write on every call.
_TOUCH_INTERVAL = timedelta(seconds=60)


class AccountError(Exception):
    """A request that cannot be honoured; the message says what to do instead."""


def audit_record(
    *,
    organization: Organization,
    action: str,
    actor_user=None,
    actor_key: ApiKey | None = None,
    ip: str | None = None,
    target: str = "",
    details: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        organization=organization, action=action, actor_user=actor_user, actor_key=actor_key,
        ip=ip, target=target, details=details or {},
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organization_create(*, name: str, plan: str, owner_email: str) -> Organization:
    if plan not in PLANS:
        raise AccountError(f"unknown plan {plan!r}; choose one of {', '.join(PLANS)}")
    owner = user_get_or_create(email=owner_email)
    organization = Organization.objects.create(name=name, slug=_unique_slug(name), plan=plan)
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    audit_record(
        organization=organization, action=Action.ORGANIZATION_CREATED, actor_user=owner,
        target=organization.slug, details={"plan": plan},
    )
    return organization


def user_get_or_create(*, email: str):
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(f"{email!r} is not an email address")
    user, _ = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email}
    )
    return user


@transaction.atomic
def organization_plan_change(
    *, organization: Organization, plan: str, actor_user=None, actor_key=None, ip=None
) -> Organization:
    if plan not in PLANS:
        raise AccountError(f"unknown plan {plan!r}; choose one of {', '.join(PLANS)}")
    previous = organization.plan
    if previous != plan:
        organization.plan = plan
        organization.save(update_fields=["plan"])
        audit_record(
            organization=organization, action=Action.PLAN_CHANGED, actor_user=actor_user,
            actor_key=actor_key, ip=ip, target=organization.slug,
            details={"from": previous, "to": plan},
        )
    return organization


def api_key_create(
    *,
    organization: Organization,
    name: str,
    scopes: Sequence[str] = ("read",),
    created_by=None,
    expires_at: datetime | None = None,
    actor_key: ApiKey | None = None,
    ip: str | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its secret; the secret exists only in this return value."""
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise AccountError(f"unknown scopes {unknown}; choose from {ALL_SCOPES}")
    if actor_key is not None and not set(scopes) <= set(actor_key.scopes):
        # A key cannot mint a more powerful key than itself.
        extra = sorted(set(scopes) - set(actor_key.scopes))
        raise AccountError(f"this key cannot grant scopes it does not have: {extra}")
    if organization.erase_after is not None:
        raise AccountError("this organisation is being deleted; no new keys can be made")
    with transaction.atomic():
        key, new = _api_key_insert(
            organization=organization, created_by=created_by, name=name,
            scopes=sorted(set(scopes)), expires_at=expires_at,
        )
        audit_record(
            organization=organization, action=Action.KEY_CREATED, actor_user=created_by,
            actor_key=actor_key, ip=ip, target=key.prefix,
            details={"name": name, "scopes": key.scopes},
        )
    return key, new.secret


def _api_key_insert(**fields) -> tuple[ApiKey, NewKey]:
    """Insert with a fresh prefix; the 32-bit prefix may (very rarely) be taken."""
    for attempt in range(3):
        new = key_generate()
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    prefix=new.prefix,
                    hashed=key_hash(new.secret, pepper=settings.API_KEY_PEPPER),
                    **fields,
                )
            return key, new
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def api_key_revoke(*, key: ApiKey, actor_user=None, actor_key=None, ip=None) -> ApiKey:
    # Conditional update: revoking twice records one event.
    with transaction.atomic():
        revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit_record(
                organization=key.organization, action=Action.KEY_REVOKED,
                actor_user=actor_user, actor_key=actor_key, ip=ip, target=key.prefix,
            )
    key.refresh_from_db()
    return key


def api_key_touch(*, key: ApiKey, ip: str | None) -> None:
    """Record use: last_used_at at most once a minute, and an audit event for a new IP."""
    now = timezone.now()
    new_ip = ip is not None and ip != key.last_used_ip
    if not new_ip and key.last_used_at and now - key.last_used_at < _TOUCH_INTERVAL:
        return
    rows = ApiKey.objects.filter(pk=key.pk)
    if new_ip:
        # A claim: of concurrent first uses from one address, one records the event.
        rows = rows.exclude(last_used_ip=ip)
    changed = rows.update(last_used_at=now, last_used_ip=ip)
    if new_ip and changed:
        audit_record(
            organization=key.organization, action=Action.KEY_USED_FROM_NEW_IP, actor_key=key,
            ip=ip, target=key.prefix, details={"previous_ip": key.last_used_ip},
        )
    key.last_used_at, key.last_used_ip = now, ip


@transaction.atomic
def member_add(
    *, organization: Organization, email: str, role: str, actor_user=None, actor_key=None,
    ip=None,
) -> Membership:
    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(Role.values)}")
    user = user_get_or_create(email=email)
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise AccountError(f"{user.email} is already a member")
    membership = Membership.objects.create(organization=organization, user=user, role=role)
    audit_record(
        organization=organization, action=Action.MEMBER_ADDED, actor_user=actor_user,
        actor_key=actor_key, ip=ip, target=user.email, details={"role": role},
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor_user=None, actor_key=None, ip=None) -> None:
    organization = membership.organization
    owners = Membership.objects.select_for_update().filter(
        organization=organization, role=Role.OWNER
    )
    if membership.role == Role.OWNER and owners.count() <= 1:
        raise AccountError("an organisation keeps at least one owner; add another first")
    email = membership.user.email
    membership.delete()
    audit_record(
        organization=organization, action=Action.MEMBER_REMOVED, actor_user=actor_user,
        actor_key=actor_key, ip=ip, target=email,
    )
    # Someone who leaves keeps no access through the keys they made here.
    for key in ApiKey.objects.filter(
        organization=organization, created_by=membership.user, revoked_at__isnull=True
    ):
        api_key_revoke(key=key, actor_user=actor_user, actor_key=actor_key, ip=ip)


@transaction.atomic
def organization_deletion_request(
    *, organization: Organization, actor_user=None, actor_key=None, ip=None
) -> Organization:
    """Revoke every key now; the data is erased once the grace period has passed."""
    now = timezone.now()
    if organization.erase_after is None:
        organization.erase_after = now + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
        organization.save(update_fields=["erase_after"])
        ApiKey.objects.filter(organization=organization, revoked_at__isnull=True).update(
            revoked_at=now
        )
        audit_record(
            organization=organization, action=Action.DELETION_REQUESTED,
            actor_user=actor_user, actor_key=actor_key, ip=ip, target=organization.slug,
            details={"erase_after": organization.erase_after.isoformat()},
        )
    return organization


def idempotency_records_prune(*, now: datetime | None = None) -> int:
    """Forget Idempotency-Key answers after a day: retries come within minutes."""
    cutoff = (now or timezone.now()) - timedelta(hours=24)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def organizations_erase_due(*, now: datetime | None = None) -> int:
    """Erase organisations whose grace period is over; returns how many."""
    now = now or timezone.now()
    due = Organization.objects.filter(erase_after__lte=now)
    count = due.count()
    due.delete()
    return count
