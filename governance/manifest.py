"""Reading a dated-versions dataset manifest (Open Terms Archive export format).

Parsing is separate from importing so a malformed entry is reported with a
reason before anything is written.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils.dateparse import parse_datetime

TECHNICAL_KIND = "technical_upgrade"
VERSION_KINDS = {"first_record", "change", TECHNICAL_KIND}


class ManifestError(Exception):
    """The manifest as a whole cannot be read."""


@dataclass(frozen=True)
class ManifestVersion:
    file: str
    recorded_at: datetime
    sha256: str
    commit: str
    kind: str
    source_index: int
    size: int


@dataclass(frozen=True)
class ManifestSourcePeriod:
    urls: tuple[str, ...]
    valid_until: datetime | None


@dataclass(frozen=True)
class ManifestDocument:
    service: str
    service_name: str
    kind: str
    title: str
    dataset: str
    source_periods: tuple[ManifestSourcePeriod, ...]
    versions: tuple[ManifestVersion, ...]

    @property
    def label(self) -> str:
        return f"{self.service}/{self.kind}"


@dataclass(frozen=True)
class ManifestRejection:
    label: str
    reason: str


def manifest_read(path: Path) -> list[ManifestDocument | ManifestRejection]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"no manifest at {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path} is not readable JSON: {exc}") from None
    if not isinstance(data, list):
        raise ManifestError(f"{path} must hold a JSON array of documents")
    return [_document(index, entry) for index, entry in enumerate(data)]


def _document(index: int, entry: object) -> ManifestDocument | ManifestRejection:
    label = f"entry {index}"
    try:
        if not isinstance(entry, dict):
            raise ValueError("is not an object")
        label = f"{_text(entry, 'service')}/{_text(entry, 'document_type_slug')}"
        versions = tuple(
            sorted(
                (_version(item) for item in _list(entry, "versions")),
                key=lambda version: version.recorded_at,
            )
        )
        if not versions:
            raise ValueError("has no versions")
        return ManifestDocument(
            service=_text(entry, "service"),
            service_name=_text(entry, "service_name"),
            kind=_text(entry, "document_type_slug"),
            title=_text(entry, "document_type"),
            dataset=str(entry.get("source_repository") or "unknown-dataset"),
            source_periods=_source_periods(entry),
            versions=versions,
        )
    except ValueError as exc:
        return ManifestRejection(label=label, reason=f"malformed manifest entry: {exc}")


def _version(item: object) -> ManifestVersion:
    if not isinstance(item, dict):
        raise ValueError("a version is not an object")
    sha256 = _text(item, "sha256").lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"version {item.get('file')!r}: sha256 is not 64 hex digits")
    file = _text(item, "file")
    if file.startswith("/") or ".." in Path(file).parts:
        raise ValueError(f"version file {file!r} points outside the dataset")
    kind = _text(item, "kind")
    if kind not in VERSION_KINDS:
        raise ValueError(f"version {file!r}: unknown kind {kind!r}")
    return ManifestVersion(
        file=file,
        recorded_at=_time(item, "recorded_at"),
        sha256=sha256,
        commit=_text(item, "commit"),
        kind=kind,
        source_index=_int(item, "source_index"),
        size=_int(item, "bytes"),
    )


def _source_periods(entry: dict) -> tuple[ManifestSourcePeriod, ...]:
    periods = []
    for item in entry.get("source_url_history") or []:
        if not isinstance(item, dict):
            raise ValueError("source_url_history holds a non-object")
        periods.append(
            ManifestSourcePeriod(
                urls=tuple(_urls(item.get("urls"))), valid_until=_time(item, "valid_until")
            )
        )
    current = entry.get("source_urls") or [entry.get("source_url")]
    periods.append(ManifestSourcePeriod(urls=tuple(_urls(current)), valid_until=None))
    return tuple(periods)


def _urls(value: object) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValueError("source URLs must be a non-empty list")
    for url in value:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http(s) URL")
    return value


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} is missing or not a string")
    return value


def _list(item: dict, key: str) -> list:
    value = item.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{key!r} is missing or not a list")
    return value


def _int(item: dict, key: str) -> int:
    value = item.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{key!r} is missing or not a non-negative integer")
    return value


def _time(item: dict, key: str) -> datetime:
    raw = _text(item, key)
    value = parse_datetime(raw)
    if value is None or value.tzinfo is None:
        raise ValueError(f"{key}={raw!r} is not an ISO 8601 time with a zone")
    return value
