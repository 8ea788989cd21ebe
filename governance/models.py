"""The archive: who publishes which documents, and every version of them as evidence.

Rows here hold data and constraints only; writes go through ``governance.services``
and reads through ``governance.selectors``.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

# Hex characters of a lineage id (80 bits: no collision in any archive we will hold).
LINEAGE_ID_LENGTH = 20


class Provider(models.Model):
    """The company behind one or more platforms."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """A service that publishes governance documents; a renamed one keeps its history."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="platforms", null=True, blank=True
    )
    website = models.URLField(blank=True)
    jurisdiction = models.CharField(
        max_length=8, blank=True, help_text="ISO 3166 code of the publisher's home jurisdiction."
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(retired_at__isnull=False),
                name="platform_successor_only_when_retired",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """One governance document of a platform, addressed by its kind slug."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="documents")
    kind = models.SlugField(max_length=64, help_text="privacy-policy, terms-of-service ...")
    title = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    check_interval = models.DurationField(default=timedelta(hours=12))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["platform__slug", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "kind"], name="document_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.platform.slug}/{self.kind}"


class Source(models.Model):
    """A URL feeding a document, in declared order, with its extraction rules."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField(default=0)
    url = models.URLField(max_length=2000)
    extraction_rules = models.JSONField(default=dict, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty until the URL was fetched successfully once."
    )

    class Meta:
        ordering = ["document", "valid_until", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "url", "valid_until"], name="source_unique_url_period"
            ),
            # NULL (still valid) never equals NULL in a unique index: say it separately.
            models.UniqueConstraint(
                fields=["document", "url"],
                condition=Q(valid_until__isnull=True),
                name="source_unique_current_url",
            ),
        ]

    def __str__(self) -> str:
        return self.url


class ExtractionRuleSet(models.Model):
    """One version of a source's extraction rules, from the moment it applies.

    ``Source.extraction_rules`` always equals the newest of these; the rows keep
    the history, so any past version can be explained by the rules of its time.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="rule_sets")
    valid_from = models.DateTimeField()
    rules = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["source", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "valid_from"], name="rule_set_unique_valid_from"
            ),
        ]

    def __str__(self) -> str:
        return f"rules of {self.source} from {self.valid_from:%Y-%m-%d}"


class Snapshot(models.Model):
    """Raw bytes captured once (fetched or imported): the evidence.

    The bytes live in the ``snapshots`` storage under their sha256, so identical
    captures share one blob while each capture keeps its own provenance row.
    """

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=200)
    storage_name = models.CharField(max_length=300)
    fetched_at = models.DateTimeField()
    url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    http_headers = models.JSONField(default=dict, blank=True)
    dataset = models.CharField(max_length=200, blank=True)
    dataset_commit = models.CharField(max_length=64, blank=True)
    dataset_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["fetched_at", "id"]
        constraints = [
            # An imported file is one snapshot, whatever the number of imports.
            models.UniqueConstraint(
                fields=["dataset", "dataset_path"],
                condition=~Q(dataset=""),
                name="snapshot_unique_dataset_file",
            ),
        ]

    def __str__(self) -> str:
        return self.sha256


class Version(models.Model):
    """The normalised text of a document from its capture until the next change. Immutable."""

    class Origin(models.TextChoices):
        # Only a live check can tell subscribers something new; an imported past never alerts.
        CHECK = "check", "live check"
        IMPORT = "import", "history import"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor"
    )
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64, db_index=True)
    language = models.CharField(max_length=8)
    captured_at = models.DateTimeField()
    previous_seen_at = models.DateTimeField(null=True, blank=True)
    stated_last_updated = models.DateField(null=True, blank=True)
    stated_last_updated_quote = models.CharField(max_length=300, blank=True)
    stated_effective = models.DateField(null=True, blank=True)
    stated_effective_quote = models.CharField(max_length=300, blank=True)
    is_technical = models.BooleanField(default=False)
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.CHECK)
    anomalies = models.JSONField(default=list, blank=True)
    snapshots = models.ManyToManyField(
        Snapshot, through="VersionSnapshot", related_name="versions"
    )
    chain_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["document", "captured_at", "id"]
        indexes = [models.Index(fields=["document", "-captured_at"], name="version_latest_idx")]
        constraints = [
            # The history is one line: one version per instant, one first version,
            # and (through the one-to-one ``previous``) at most one successor each.
            models.UniqueConstraint(
                fields=["document", "captured_at"], name="version_unique_captured_at"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(previous__isnull=True),
                name="version_one_first_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} @ {self.captured_at:%Y-%m-%dT%H:%M:%SZ}"


class VersionSnapshot(models.Model):
    """Which snapshots a version was extracted from, in the document's source order."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="version_snapshot_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}[{self.position}] = {self.snapshot_id}"


class Provision(models.Model):
    """One clause of a version: its heading path and text.

    ``lineage_id`` is shared with the same clause in the document's earlier and later
    versions (``governance.lineage``); it is derived, so ``rebuild_changes`` may rewrite
    it, and deterministic, so a rebuild with the same algorithm leaves it as it was.
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="provisions")
    ordinal = models.PositiveIntegerField()
    heading_path = models.JSONField(default=list)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    lineage_id = models.CharField(max_length=LINEAGE_ID_LENGTH, blank=True)

    class Meta:
        ordering = ["version", "ordinal"]
        indexes = [models.Index(fields=["lineage_id"], name="provision_lineage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "ordinal"], name="provision_unique_ordinal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}#{self.ordinal}"


class Change(models.Model):
    """What differs between a version and its predecessor: derived, rebuildable evidence.

    Counts and flags are facts of the two texts; title, body and significance are the
    summary made from them by fixed rules (``method`` names them). Technical versions
    and suspect captures keep their counts but get no summary: ``no_summary_reason``
    says why, and title and significance stay empty.
    """

    class Significance(models.TextChoices):
        MAJOR = "major", "major"
        MINOR = "minor", "minor"
        EDITORIAL = "editorial", "editorial"

    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="change")
    # The version this change is measured against: the predecessor, or, after suspect
    # captures (error pages), the last version before them that was not one.
    previous = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    # Copied from the version so the feed filters and orders on one table.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="changes")
    captured_at = models.DateTimeField()
    is_technical = models.BooleanField(default=False)
    provisions_added = models.PositiveIntegerField(default=0)
    provisions_removed = models.PositiveIntegerField(default=0)
    provisions_modified = models.PositiveIntegerField(default=0)
    provisions_moved = models.PositiveIntegerField(default=0)
    provisions_split = models.PositiveIntegerField(default=0)
    provisions_merged = models.PositiveIntegerField(default=0)
    words_added = models.PositiveIntegerField(default=0)
    words_removed = models.PositiveIntegerField(default=0)
    headings_touched = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=140, blank=True)
    body = models.TextField(blank=True)
    significance = models.CharField(max_length=16, choices=Significance, blank=True)
    significance_rule = models.CharField(max_length=300, blank=True)
    no_summary_reason = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=100)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-captured_at", "-id"]
        indexes = [
            models.Index(fields=["-captured_at", "-id"], name="change_feed_idx"),
            models.Index(fields=["document", "-captured_at"], name="change_document_idx"),
        ]

    def __str__(self) -> str:
        return f"change of {self.version}"


class ChangeFlag(models.Model):
    """One semantic flag of a change, citing the clause and the exact words."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="flags")
    position = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=32)
    subject = models.CharField(max_length=200)
    direction = models.CharField(max_length=16)
    lineage_id = models.CharField(max_length=LINEAGE_ID_LENGTH)
    heading_path = models.JSONField(default=list)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["change", "position"]
        indexes = [
            models.Index(fields=["category", "change"], name="change_flag_category_idx"),
            # A clause's history lists the flags that touched it.
            models.Index(fields=["lineage_id"], name="change_flag_lineage_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "position"], name="change_flag_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.subject} ({self.direction})"
