"""Representations of the account endpoints."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import ApiKey, AuditEvent, Membership, Role, Scope


class ApiKeySerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = [
            "id", "name", "prefix", "scopes", "created_at", "last_used_at", "expires_at",
            "revoked_at", "active",
        ]

    def get_active(self, key: ApiKey) -> bool:
        return key.revoked_at is None


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices), default=["read"], allow_empty=False
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_expires_at(self, value):
        # A key born expired is a mistake (a wrong date or time zone), never a wish.
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("must be in the future.")
        return value


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="The secret, shown once. Null on an idempotent replay: it is never stored.",
    )

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "role", "created_at"]


class MemberAddSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "action", "actor", "ip", "target", "details"]

    @extend_schema_field(
        {"type": "object", "properties": {
            "user": {"type": "string", "nullable": True},
            "api_key": {"type": "string", "nullable": True}}}
    )
    def get_actor(self, event: AuditEvent) -> dict:
        return {
            "user": event.actor_user.email if event.actor_user else None,
            "api_key": event.actor_key.prefix if event.actor_key else None,
        }


class PlanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    features = serializers.ListField(child=serializers.CharField())
    monitored_platforms = serializers.IntegerField(allow_null=True)
    history_depth_days = serializers.IntegerField(allow_null=True)
    requests_per_minute = serializers.IntegerField()
    requests_per_day = serializers.IntegerField()
    exports_per_day = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    requests_this_minute = serializers.IntegerField()
    requests_today = serializers.IntegerField()
    day_resets_in_seconds = serializers.IntegerField()


class AccountSerializer(serializers.Serializer):
    organization = serializers.DictField()
    role = serializers.CharField()
    plan = PlanSerializer()
    usage = UsageSerializer(allow_null=True)
    api_key = serializers.DictField(allow_null=True)
