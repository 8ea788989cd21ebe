"""Representations of changes, timelines and one clause's history. Declarative only.

A change is addressed by the id of the version it produced (``/changes/{version_id}/``).
Two representations of a change: ``ChangeSerializer`` (everything: counts, summary,
flags, how it was made) for plans with change summaries, and ``ChangeTitleSerializer``
(what changed where and when, and its title) for the Free plan; ``representation``
says which one an object is.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from governance.api.serializers import NULLABLE_URI, VersionSummarySerializer, _version_url
from governance.history import PROVISION_HISTORY_METHOD
from governance.importing import ATTRIBUTION
from governance.models import Change, ChangeFlag

DISCLAIMER = (
    "Change summaries, significance and flags describe what a document states, permits "
    "or reserves, compared word for word with its previous version by fixed rules; they "
    "are not a legal finding."
)
DISCLAIMER_SCHEMA = {"type": "string", "description": "What these analyses are, and are not."}
# Pages of changes and timelines may quote imported history (titles and flags quote its
# words): its licence (ODC-BY 1.0) asks for the credit wherever it is shown.
ATTRIBUTION_SCHEMA = {
    "type": "string", "description": "The credit for imported history (Open Terms Archive)."
}


def _change_url(request, version_id: int) -> str:
    return reverse("api:change-detail", kwargs={"version_id": version_id}, request=request)


def provision_history_url(request, lineage_id: str) -> str:
    return reverse(
        "api:provision-history", kwargs={"lineage_id": lineage_id}, request=request
    )


class ChangeFlagSerializer(serializers.ModelSerializer):
    heading_path = serializers.ListField(child=serializers.CharField(), read_only=True)
    provision_history_url = serializers.SerializerMethodField()

    class Meta:
        model = ChangeFlag
        fields = [
            "category", "subject", "direction", "lineage_id", "heading_path", "before",
            "after", "provision_history_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_provision_history_url(self, flag: ChangeFlag) -> str:
        return provision_history_url(self.context.get("request"), flag.lineage_id)


class ChangeCountsSerializer(serializers.Serializer):
    provisions_added = serializers.IntegerField()
    provisions_removed = serializers.IntegerField()
    provisions_modified = serializers.IntegerField()
    provisions_moved = serializers.IntegerField()
    provisions_split = serializers.IntegerField()
    provisions_merged = serializers.IntegerField()
    words_added = serializers.IntegerField()
    words_removed = serializers.IntegerField()


class _SummaryFields(serializers.ModelSerializer):
    """The analysis of a change: counts, summary and flags, with how it was made."""

    url = serializers.SerializerMethodField()
    title = serializers.CharField(
        allow_null=True, help_text="Null when the change has no summary (see no_summary_reason)."
    )
    significance = serializers.ChoiceField(
        choices=Change.Significance.choices, allow_null=True,
        help_text="major, minor or editorial; null when the change has no summary.",
    )
    counts = ChangeCountsSerializer(source="*")
    headings_touched = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), read_only=True
    )
    flags = ChangeFlagSerializer(many=True, read_only=True)

    summary_fields = [
        "url", "title", "body", "significance", "significance_rule", "no_summary_reason",
        "counts", "headings_touched", "flags", "method", "computed_at",
    ]

    class Meta:
        model = Change
        fields = []  # set by each subclass

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, change: Change) -> str:
        return _change_url(self.context.get("request"), change.version_id)

    def to_representation(self, change: Change) -> dict:
        data = super().to_representation(change)
        # Stored as "" when not summarised; an API says "none" with null.
        for name in ("title", "significance"):
            if name in data and data[name] == "":
                data[name] = None
        return data


class TimelineChangeSerializer(_SummaryFields):
    class Meta(_SummaryFields.Meta):
        fields = _SummaryFields.summary_fields


class TimelineEntrySerializer(VersionSummarySerializer):
    """A version in a timeline, with the change it made (null for a first version)."""

    change = serializers.SerializerMethodField()

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "change"]

    @extend_schema_field(TimelineChangeSerializer(allow_null=True))
    def get_change(self, version) -> dict | None:
        change = getattr(version, "change", None)
        if change is None:
            return None
        return TimelineChangeSerializer(change, context=self.context).data


class ChangeTitleSerializer(serializers.ModelSerializer):
    """A change as the Free plan sees it: where, when, and its title."""

    representation = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="version_id", help_text="The id of the new version.")
    url = serializers.SerializerMethodField()
    platform = serializers.CharField(source="document.platform.slug")
    kind = serializers.CharField(source="document.kind")
    title = serializers.CharField(allow_null=True)

    class Meta:
        model = Change
        fields = ["representation", "id", "url", "platform", "kind", "captured_at", "title"]

    @extend_schema_field({"type": "string", "pattern": "^title$",
                         "description": "Always \"title\": where, when and the title."})
    def get_representation(self, change: Change) -> str:
        return "title"

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, change: Change) -> str:
        return _change_url(self.context.get("request"), change.version_id)

    def to_representation(self, change: Change) -> dict:
        data = super().to_representation(change)
        if data["title"] == "":
            data["title"] = None
        return data


class ChangeSerializer(_SummaryFields):
    """A change with everything known about it: the versions, counts, summary and flags."""

    representation = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="version_id", help_text="The id of the new version.")
    platform = serializers.CharField(source="document.platform.slug")
    kind = serializers.CharField(source="document.kind")
    previous_seen_at = serializers.DateTimeField(source="version.previous_seen_at",
                                                 allow_null=True)
    origin = serializers.CharField(source="version.origin")
    anomalies = serializers.ListField(source="version.anomalies", child=serializers.CharField())
    version_url = serializers.SerializerMethodField()
    previous_version_url = serializers.SerializerMethodField()

    class Meta(_SummaryFields.Meta):
        fields = [
            "representation", "id", "platform", "kind", "captured_at", "previous_seen_at",
            "is_technical", "origin", "anomalies", "version_url", "previous_version_url",
            *_SummaryFields.summary_fields,
        ]

    @extend_schema_field({"type": "string", "pattern": "^full$",
                         "description": "Always \"full\": the whole change."})
    def get_representation(self, change: Change) -> str:
        return "full"

    @extend_schema_field(OpenApiTypes.URI)
    def get_version_url(self, change: Change) -> str:
        return _version_url(self.context.get("request"), change.version_id)

    @extend_schema_field(OpenApiTypes.URI)
    def get_previous_version_url(self, change: Change) -> str:
        return _version_url(self.context.get("request"), change.previous_id)


class _Disclaimed(serializers.Serializer):
    disclaimer = serializers.SerializerMethodField()

    @extend_schema_field(DISCLAIMER_SCHEMA)
    def get_disclaimer(self, obj) -> str:
        return DISCLAIMER


class ChangeDetailSerializer(ChangeSerializer, _Disclaimed):
    """One change on its own: a list carries the disclaimer once, in its envelope."""

    class Meta(ChangeSerializer.Meta):
        fields = [*ChangeSerializer.Meta.fields, "disclaimer"]


class ChangeTitleDetailSerializer(ChangeTitleSerializer, _Disclaimed):
    class Meta(ChangeTitleSerializer.Meta):
        fields = [*ChangeTitleSerializer.Meta.fields, "disclaimer"]


# --- one clause through time ---------------------------------------------------------


class WordingSerializer(serializers.Serializer):
    text = serializers.CharField()
    sha256 = serializers.CharField()
    heading_path = serializers.ListField(child=serializers.CharField())
    # Named "from" in the API (get_fields): a Python keyword cannot be an attribute.
    since = serializers.DateTimeField(
        source="since", help_text="Captured at of the first version with it."
    )
    until = serializers.DateTimeField(
        allow_null=True,
        help_text="Captured at of the version that changed or dropped it; the platform's "
                  "retirement when it was never changed; null while in force.",
    )
    until_version_url = serializers.SerializerMethodField()
    version_ids = serializers.ListField(child=serializers.IntegerField())

    def get_fields(self):
        return {("from" if name == "since" else name): field
                for name, field in super().get_fields().items()}

    @extend_schema_field(NULLABLE_URI)
    def get_until_version_url(self, wording) -> str | None:
        return _version_url(self.context.get("request"), wording.until_version_id)


class ProvisionFlagSerializer(ChangeFlagSerializer):
    version_id = serializers.IntegerField(source="change.version_id")
    captured_at = serializers.DateTimeField(source="change.captured_at")
    change_url = serializers.SerializerMethodField()

    class Meta(ChangeFlagSerializer.Meta):
        fields = [
            "version_id", "captured_at", "change_url", "category", "subject", "direction",
            "heading_path", "before", "after",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_change_url(self, flag: ChangeFlag) -> str:
        return _change_url(self.context.get("request"), flag.change.version_id)


class ProvisionHistorySerializer(serializers.Serializer):
    lineage_id = serializers.CharField()
    platform = serializers.CharField(source="platform.slug")
    kind = serializers.CharField(source="document.kind")
    document_url = serializers.SerializerMethodField()
    first_seen = serializers.DateTimeField(help_text="Captured at of the first version with it.")
    last_seen = serializers.DateTimeField(help_text="Captured at of the last version with it.")
    in_force = serializers.BooleanField(
        help_text="The document's latest version holds it and the platform is not retired."
    )
    removed_at = serializers.DateTimeField(
        allow_null=True, help_text="Captured at of the version that dropped it, if one did."
    )
    notice = serializers.SerializerMethodField()
    wordings = WordingSerializer(many=True)
    flags = ProvisionFlagSerializer(many=True, help_text="Flags of changes touching it.")
    attribution = serializers.SerializerMethodField(
        help_text="The dataset's credit (its licence asks for it) when some of the "
                  "clause's versions were imported."
    )
    method = serializers.SerializerMethodField(
        help_text="How the clause was followed from version to version."
    )
    disclaimer = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, history) -> str:
        return reverse(
            "api:document-detail",
            kwargs={"platform_slug": history.platform.slug, "kind": history.document.kind},
            request=self.context.get("request"),
        )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_notice(self, history) -> str | None:
        platform = history.platform
        if platform.retired_at is None:
            return None
        notice = f"{platform.name} was retired on {platform.retired_at.date().isoformat()}"
        return notice + (f"; its successor is {platform.successor.slug}."
                         if platform.successor_id else ".")

    def get_method(self, history) -> str:
        return PROVISION_HISTORY_METHOD

    @extend_schema_field(DISCLAIMER_SCHEMA)
    def get_disclaimer(self, history) -> str:
        return DISCLAIMER

    @extend_schema_field({"type": "string", "nullable": True})
    def get_attribution(self, history) -> str | None:
        return ATTRIBUTION if history.imported else None
