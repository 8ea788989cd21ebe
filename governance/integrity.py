"""The chain hash that links every version of a document to its predecessor.

Defined in ARCHITECTURE.md so that anyone can recompute it with Python alone:
hex sha256 over these UTF-8 lines joined by "\\n": previous chain hash (64 zeros
for the first), "platform slug/document kind", text sha256, the snapshot sha256s
joined by ",", and captured_at as %Y-%m-%dT%H:%M:%S.%fZ in UTC.
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

GENESIS = "0" * 64


def chain_hash(
    *,
    previous: str | None,
    platform_slug: str,
    document_kind: str,
    text_sha256: str,
    snapshot_sha256s: Sequence[str],
    captured_at: datetime,
) -> str:
    if captured_at.tzinfo is None:
        raise ValueError("captured_at must be timezone-aware")
    lines = [
        previous or GENESIS,
        f"{platform_slug}/{document_kind}",
        text_sha256,
        ",".join(snapshot_sha256s),
        captured_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    ]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def bytes_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
