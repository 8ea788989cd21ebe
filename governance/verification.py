"""Recomputing the archive's hashes to prove nothing was altered after capture."""

from collections.abc import Iterator
from dataclasses import dataclass

from governance.integrity import bytes_sha256, chain_hash
from governance.models import Document, Snapshot, Version
from governance.selectors import snapshot_read, version_chain
from governance.text import text_sha256


@dataclass(frozen=True)
class BrokenLink:
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}"


@dataclass(frozen=True)
class VerificationReport:
    documents: int
    versions: int
    snapshots: int
    broken: list[BrokenLink]

    @property
    def ok(self) -> bool:
        return not self.broken


def archive_verify(*, platform_slugs: list[str] | None = None) -> VerificationReport:
    """Check every document (or those of the named platforms) and their snapshots."""
    broken: list[BrokenLink] = []
    documents = versions = 0
    scope = Document.objects.select_related("platform").order_by("id")
    snapshot_scope = Snapshot.objects.order_by("id")
    if platform_slugs:
        scope = scope.filter(platform__slug__in=platform_slugs)
        snapshot_scope = snapshot_scope.filter(
            versions__document__platform__slug__in=platform_slugs
        ).distinct()
    for document in scope:
        documents += 1
        chain = list(version_chain(document=document))
        versions += len(chain)
        broken.extend(_chain_breaks(document, chain))
    snapshots = 0
    for snapshot in snapshot_scope.iterator(chunk_size=500):
        snapshots += 1
        broken.extend(_snapshot_breaks(snapshot))
    return VerificationReport(
        documents=documents, versions=versions, snapshots=snapshots, broken=broken
    )


def _chain_breaks(document: Document, chain: list[Version]) -> Iterator[BrokenLink]:
    total = Version.objects.filter(document=document).count()
    if total != len(chain):
        yield BrokenLink(
            str(document), f"{total} versions but the chain from the first links {len(chain)}"
        )
    previous_hash = None
    for version in chain:
        label = f"{document} version {version.pk} ({version.captured_at:%Y-%m-%dT%H:%M:%SZ})"
        if text_sha256(version.text) != version.text_sha256:
            yield BrokenLink(label, "stored text does not match its text_sha256")
        expected = chain_hash(
            previous=previous_hash,
            platform_slug=document.platform.slug,
            document_kind=document.kind,
            text_sha256=text_sha256(version.text),
            snapshot_sha256s=[vs.snapshot.sha256 for vs in version.versionsnapshot_set.all()],
            captured_at=version.captured_at,
        )
        if expected != version.chain_hash:
            yield BrokenLink(label, f"chain hash {version.chain_hash} should be {expected}")
        previous_hash = version.chain_hash


def _snapshot_breaks(snapshot: Snapshot) -> Iterator[BrokenLink]:
    label = f"snapshot {snapshot.pk} ({snapshot.dataset_path or snapshot.url})"
    try:
        content = snapshot_read(snapshot=snapshot)
    except OSError as exc:
        yield BrokenLink(label, f"raw bytes missing from storage ({exc.strerror or exc})")
        return
    if bytes_sha256(content) != snapshot.sha256:
        yield BrokenLink(label, "raw bytes do not match their sha256")
