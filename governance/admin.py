"""Admin for the archive. Evidence (versions, snapshots, provisions) is read-only."""

from django.contrib import admin

from governance.models import (
    Change,
    ChangeFlag,
    Document,
    ExtractionRuleSet,
    Platform,
    Provider,
    Provision,
    Snapshot,
    Source,
    Version,
    VersionSnapshot,
)
from governance.reextraction import source_rules_set


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence is written by services only; the admin may look, never touch."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "website"]
    search_fields = ["slug", "name"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "provider", "jurisdiction", "retired_at", "successor"]
    list_filter = ["provider", "jurisdiction"]
    search_fields = ["slug", "name"]
    list_select_related = ["provider", "successor"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(ExtractionRuleSet)
class ExtractionRuleSetAdmin(admin.ModelAdmin):
    """The history of extraction rules; change rules through a new row, never an edit."""

    list_display = ["source", "valid_from", "note"]
    list_select_related = ["source__document__platform"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Through the service: the rules are validated and the source's current rules updated.
        saved = source_rules_set(
            source=obj.source, rules=obj.rules, valid_from=obj.valid_from, note=obj.note
        )
        obj.pk = saved.pk


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "active", "check_interval"]
    list_filter = ["active", "kind", "platform"]
    search_fields = ["platform__slug", "kind", "title"]
    list_select_related = ["platform"]
    inlines = [SourceInline]


class VersionSnapshotInline(admin.TabularInline):
    model = VersionSnapshot
    extra = 0
    can_delete = False
    readonly_fields = ["snapshot", "position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["document", "captured_at", "language", "is_technical", "text_sha256"]
    list_filter = ["is_technical", "language", "document__platform"]
    search_fields = ["document__platform__slug", "document__kind", "text_sha256", "chain_hash"]
    list_select_related = ["document__platform"]
    date_hierarchy = "captured_at"
    inlines = [VersionSnapshotInline]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["sha256", "media_type", "size", "fetched_at", "url", "dataset_path"]
    list_filter = ["media_type", "dataset"]
    search_fields = ["sha256", "url", "dataset_path"]


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ["version", "ordinal", "heading_path", "sha256"]
    list_select_related = ["version__document__platform"]
    search_fields = ["sha256"]


class ChangeFlagInline(admin.TabularInline):
    model = ChangeFlag
    extra = 0
    can_delete = False
    readonly_fields = [
        "position", "category", "subject", "direction", "lineage_id", "before", "after"
    ]
    exclude = ["heading_path"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    """Derived from the versions (rebuild_changes recomputes them): look, never edit."""

    list_display = ["version", "significance", "title", "captured_at", "is_technical"]
    list_filter = ["significance", "is_technical", "document__platform"]
    search_fields = ["title", "document__platform__slug", "document__kind"]
    list_select_related = ["version__document__platform"]
    date_hierarchy = "captured_at"
    inlines = [ChangeFlagInline]
