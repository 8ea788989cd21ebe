"""Loading the built-in catalogue of providers and platforms (idempotent)."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils.dateparse import parse_datetime

from governance.models import Document, Platform, Provider, Source

CATALOGUE_PATH = Path(__file__).resolve().parent / "fixtures" / "platforms.json"


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class CatalogueSummary:
    providers: int
    platforms: int
    documents: int


def _parse_time(value: str | None, *, field: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise CatalogueError(f"{field}: {value!r} is not an ISO 8601 time with a zone")
    return parsed


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_PATH) -> CatalogueSummary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        providers = {
            item["slug"]: Provider.objects.update_or_create(
                slug=item["slug"],
                defaults={"name": item["name"], "website": item.get("website", "")},
            )[0]
            for item in data["providers"]
        }
        platforms = data["platforms"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(f"{path}: not a valid catalogue ({exc!r})") from exc
    documents = 0
    for item in platforms:
        _platform_upsert(item, providers)
    # Successors second: a platform may name one that comes later in the file.
    for item in platforms:
        if item.get("successor"):
            successor = Platform.objects.get(slug=item["successor"])
            Platform.objects.filter(slug=item["slug"]).update(successor=successor)
    for item in platforms:
        documents += _documents_upsert(item)
    return CatalogueSummary(
        providers=len(providers), platforms=len(platforms), documents=documents
    )


def _platform_upsert(item: dict, providers: dict[str, Provider]) -> Platform:
    slug = item["slug"]
    provider_slug = item.get("provider")
    if provider_slug and provider_slug not in providers:
        raise CatalogueError(f"platform {slug}: unknown provider {provider_slug!r}")
    platform, _ = Platform.objects.update_or_create(
        slug=slug,
        defaults={
            "name": item["name"],
            "provider": providers.get(provider_slug) if provider_slug else None,
            "website": item.get("website", ""),
            "jurisdiction": item.get("jurisdiction", ""),
            "retired_at": _parse_time(item.get("retired_at"), field=f"{slug}.retired_at"),
            "note": item.get("note", ""),
        },
    )
    return platform


def _documents_upsert(item: dict) -> int:
    """Documents declared by hand (platforms the dataset does not cover), unverified."""
    platform = Platform.objects.get(slug=item["slug"])
    declared = item.get("documents", [])
    for entry in declared:
        document, _ = Document.objects.get_or_create(
            platform=platform, kind=entry["kind"], defaults={"title": entry["title"]}
        )
        for position, url in enumerate(entry["urls"]):
            Source.objects.get_or_create(
                document=document, url=url, valid_until=None, defaults={"position": position}
            )
    return len(declared)
