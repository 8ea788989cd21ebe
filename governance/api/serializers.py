"""Representations of the archive. Declarative: no business logic here."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from governance.importing import ATTRIBUTION
from governance.models import Document, Platform, Provider, Provision, Snapshot, Source, Version

NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["slug", "name", "website"]


class PlatformSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    successor = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    active = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(
        view_name="api:platform-detail", lookup_field="slug"
    )

    class Meta:
        model = Platform
        fields = [
            "slug", "name", "provider", "website", "jurisdiction", "active", "retired_at",
            "successor", "note", "url",
        ]

    def get_active(self, platform: Platform) -> bool:
        return platform.retired_at is None


class SourceSerializer(serializers.ModelSerializer):
    # Plain integers: the model field's range differs by database, the schema must not.
    position = serializers.IntegerField(read_only=True)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "position", "url", "extraction_rules", "valid_from", "valid_until", "verified",
            "verified_at",
        ]

    def get_verified(self, source: Source) -> bool:
        return source.verified_at is not None


def _version_url(request, version_id: int | None) -> str | None:
    if version_id is None:
        return None
    return reverse("api:version-detail", kwargs={"pk": version_id}, request=request)


class VersionSummarySerializer(serializers.ModelSerializer):
    """A version without its text: what lists and timelines show."""

    platform = serializers.CharField(source="document.platform.slug", read_only=True)
    kind = serializers.CharField(source="document.kind", read_only=True)
    stated_last_updated = serializers.SerializerMethodField()
    stated_effective = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:version-detail")

    class Meta:
        model = Version
        fields = [
            "id", "platform", "kind", "captured_at", "previous_seen_at", "stated_last_updated",
            "stated_effective", "language", "is_technical", "origin", "anomalies", "text_sha256",
            "chain_hash", "url",
        ]

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {
            "date": {"type": "string", "format": "date"}, "quote": {"type": "string"}}}
    )
    def get_stated_last_updated(self, version: Version) -> dict | None:
        return _stated(version.stated_last_updated, version.stated_last_updated_quote)

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {
            "date": {"type": "string", "format": "date"}, "quote": {"type": "string"}}}
    )
    def get_stated_effective(self, version: Version) -> dict | None:
        return _stated(version.stated_effective, version.stated_effective_quote)


def _stated(value, quote: str) -> dict | None:
    return None if value is None else {"date": value.isoformat(), "quote": quote}


class ProvisionSerializer(serializers.ModelSerializer):
    ordinal = serializers.IntegerField(read_only=True)
    heading_path = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Provision
        fields = ["ordinal", "heading_path", "text", "sha256", "lineage_id"]


class SnapshotSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True)
    http_status = serializers.IntegerField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["sha256", "size", "media_type", "fetched_at", "http_status", "source", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, snapshot: Snapshot) -> str:
        return reverse(
            "api:snapshot-detail", kwargs={"sha256": snapshot.sha256},
            request=self.context.get("request"),
        )

    @extend_schema_field(
        {"type": "object", "properties": {
            "url": {"type": "string"}, "dataset": {"type": "string"},
            "commit": {"type": "string"}, "path": {"type": "string"}}}
    )
    def get_source(self, snapshot: Snapshot) -> dict:
        if snapshot.dataset:
            return {
                "dataset": snapshot.dataset,
                "commit": snapshot.dataset_commit,
                "path": snapshot.dataset_path,
            }
        return {"url": snapshot.url}


class VersionDetailSerializer(VersionSummarySerializer):
    provisions = ProvisionSerializer(many=True, read_only=True)
    snapshots = serializers.SerializerMethodField()
    previous = serializers.SerializerMethodField()
    next = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField(
        help_text="The dataset's credit (its licence asks for it) when the text was imported."
    )

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "text", "provisions", "snapshots",
                  "previous", "next", "attribution"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_attribution(self, version: Version) -> str | None:
        return ATTRIBUTION if version.origin == Version.Origin.IMPORT else None

    @extend_schema_field(SnapshotSerializer(many=True))
    def get_snapshots(self, version: Version) -> list[dict]:
        links = version.versionsnapshot_set.all()
        return SnapshotSerializer(
            [link.snapshot for link in links], many=True, context=self.context
        ).data

    @extend_schema_field(NULLABLE_URI)
    def get_previous(self, version: Version) -> str | None:
        return _version_url(self.context.get("request"), version.previous_id)

    @extend_schema_field(NULLABLE_URI)
    def get_next(self, version: Version) -> str | None:
        successor = getattr(version, "successor", None)
        return _version_url(self.context.get("request"), successor.pk if successor else None)


class DocumentSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="platform.slug", read_only=True)
    url = serializers.SerializerMethodField()
    versions_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["platform", "kind", "title", "active", "url", "versions_url"]

    def _link(self, document: Document, name: str) -> str:
        return reverse(
            name, kwargs={"platform_slug": document.platform.slug, "kind": document.kind},
            request=self.context.get("request"),
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document: Document) -> str:
        return self._link(document, "api:document-detail")

    @extend_schema_field(OpenApiTypes.URI)
    def get_versions_url(self, document: Document) -> str:
        return self._link(document, "api:document-versions")


class DocumentDetailSerializer(DocumentSerializer):
    sources = SourceSerializer(many=True, read_only=True)
    check_interval_seconds = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()
    version_count = serializers.IntegerField(read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "check_interval_seconds", "sources",
                  "version_count", "latest_version"]

    def get_check_interval_seconds(self, document: Document) -> int:
        return int(document.check_interval.total_seconds())

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_latest_version(self, document: Document) -> dict | None:
        latest = getattr(document, "latest_version", None)
        if latest is None:
            return None
        return VersionSummarySerializer(latest, context=self.context).data


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField()
    in_force = serializers.BooleanField(
        help_text="False when the platform was retired at that moment."
    )
    notice = serializers.CharField(allow_null=True)
    version = VersionDetailSerializer()
