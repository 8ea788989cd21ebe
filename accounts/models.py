"""Who may do what: organisations, members, API keys, idempotency records, the audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.plans import PLAN_CHOICES


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    plan = models.CharField(max_length=32, choices=PLAN_CHOICES, default="free")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Deletion has a grace period: keys die at once, data is erased after this time.
    erase_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "owner"  # billing, keys, members, plan
    ANALYST = "analyst", "analyst"  # may correct classifications and mappings
    MEMBER = "member", "member"  # reads


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organization", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class Scope(models.TextChoices):
    READ = "read", "read"
    WATCH = "watch", "watch"
    EXPORT = "export", "export"
    ADMIN = "admin", "admin"


class ApiKey(models.Model):
    """A bearer key. Only a keyed hash is stored; the secret is shown once, at creation."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_keys"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=32, unique=True)
    hashed = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first response to a POST with an Idempotency-Key, replayed on retries."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    method_path = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="idempotency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.method_path} [{self.key}]"


class AuditEvent(models.Model):
    """Append-only record of security-relevant events of an organisation."""

    class Action(models.TextChoices):
        KEY_CREATED = "api_key.created"
        KEY_REVOKED = "api_key.revoked"
        KEY_USED_FROM_NEW_IP = "api_key.used_from_new_ip"
        MEMBER_ADDED = "member.added"
        MEMBER_REMOVED = "member.removed"
        PLAN_CHANGED = "organization.plan_changed"
        ORGANIZATION_CREATED = "organization.created"
        DELETION_REQUESTED = "organization.deletion_requested"
        ANALYST_CORRECTION = "analysis.corrected"
        EXPORT_DOWNLOADED = "export.downloaded"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_events"
    )
    action = models.CharField(max_length=64, choices=Action)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(condition=~Q(action=""), name="audit_event_has_action"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%dT%H:%M:%SZ} {self.action}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: an event, once written, is evidence and never changes.
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)
