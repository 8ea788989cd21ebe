"""The ``archive`` fixture: a small archive built through services (shared by API tests)."""

import pytest

from governance.models import Platform
from governance.services import snapshot_store, version_record
from tests.factories import DocumentFactory, PlatformFactory, ProviderFactory, at


@pytest.fixture
def archive(db):
    """Two providers, four platforms (one retired into another), 12 versions of a policy.

    Enough providers and platforms for two pages at page_size=5. The policy's versions
    are captured at 00:00 UTC on 1..12 January 2025 (day 6 is a technical version).
    """
    acme = ProviderFactory(slug="acme-test", name="Acme")
    globex = ProviderFactory(slug="globex-test", name="Globex")
    chat = PlatformFactory(slug="acme-chat", name="Acme Chat", provider=acme)
    old = PlatformFactory(
        slug="acme-old", name="Acme Old", provider=acme, retired_at=at(20), successor=chat
    )
    PlatformFactory(slug="globex-ai", name="Globex AI", provider=globex)
    PlatformFactory(slug="globex-labs", name="Globex Labs", provider=globex)
    for n in range(4):
        PlatformFactory(slug=f"extra-{n}", provider=ProviderFactory(slug=f"extra-provider-{n}"))
    policy = DocumentFactory(platform=chat, kind="privacy-policy", title="Privacy Policy")
    DocumentFactory(platform=chat, kind="terms-of-service", title="Terms of Service")
    old_terms = DocumentFactory(platform=old, kind="terms-of-service", title="Terms")
    versions = []
    for day in range(1, 13):
        snapshot = snapshot_store(
            content=f"<h1>Privacy</h1><p>api fixture day {day}</p>".encode(),
            media_type="text/html; charset=utf-8",
            fetched_at=at(day),
            url="https://acme.example/privacy",
            http_status=200,
        )
        text = f"# Privacy\n\nLast updated: January {day}, 2025\n\nWe keep data {day} days.\n"
        versions.append(
            version_record(
                document=policy, text=text, captured_at=at(day), snapshots=[snapshot],
                is_technical=day == 6,
            ).version
        )
    version_record(document=old_terms, text="# Terms\n\nOld terms.\n", captured_at=at(2))
    return {"policy": policy, "versions": versions, "chat": chat, "old": old,
            "platforms": Platform.objects.filter(slug__in=["acme-chat", "acme-old"])}
