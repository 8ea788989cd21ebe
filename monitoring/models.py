"""Keeping the archive fresh: when each document is checked, and what each check found."""

from django.db import models
from django.utils import timezone

from governance.models import Document, Snapshot, Source, Version


class CheckSchedule(models.Model):
    """When a document is next due, and the lease of the worker checking it now.

    A claim is a conditional UPDATE that sets ``lease_until``; a worker that dies
    leaves the document due again once the lease runs out, never stuck and never
    checked by two workers at once.
    """

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="schedule")
    next_check_at = models.DateTimeField(default=timezone.now, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # The last time the current text was seen: the next change's previous_seen_at.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # A capture that looked broken is held here (by text hash) until a recheck shows
    # the same text again, which confirms it as the document's new text.
    suspect_text_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.document} due {self.next_check_at:%Y-%m-%dT%H:%M:%SZ}"


class SourceState(models.Model):
    """Validators of a source's last response, for conditional requests."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="state")
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"state of {self.source}"


class Check(models.Model):
    """One check of one document: what happened, how long it took, what it cost."""

    class Outcome(models.TextChoices):
        CHANGED = "changed", "new version recorded"
        UNCHANGED = "unchanged", "same text"
        NOT_MODIFIED = "not_modified", "HTTP 304 for every source"
        SUSPECT = "suspect", "looks broken: held for a recheck"
        FAILED = "failed", "failed"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="checks")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome)
    reason = models.TextField(blank=True)
    transient = models.BooleanField(default=False)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    bytes_fetched = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    version = models.ForeignKey(Version, on_delete=models.SET_NULL, null=True, blank=True)
    # The bytes this check fetched: evidence even when no version came of them.
    snapshots = models.ManyToManyField(Snapshot, blank=True, related_name="checks")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["document", "-started_at"], name="check_latest_idx")]

    def __str__(self) -> str:
        return f"{self.document} {self.outcome} at {self.started_at:%Y-%m-%dT%H:%M:%SZ}"
