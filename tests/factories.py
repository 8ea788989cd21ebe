"""factory_boy factories for the archive. Slugs never collide with the corpus' slugs."""

from datetime import UTC, datetime, timedelta

import factory

from governance.models import Document, Platform, Provider, Source


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    slug = factory.Sequence(lambda n: f"test-provider-{n}")
    name = factory.Sequence(lambda n: f"Test Provider {n}")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    slug = factory.Sequence(lambda n: f"test-platform-{n}")
    name = factory.Sequence(lambda n: f"Test Platform {n}")
    provider = factory.SubFactory(ProviderFactory)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    platform = factory.SubFactory(PlatformFactory)
    kind = "privacy-policy"
    title = "Privacy Policy"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    document = factory.SubFactory(DocumentFactory)
    url = factory.Sequence(lambda n: f"https://example.com/policy-{n}")


def at(day: int, hour: int = 12) -> datetime:
    """A fixed UTC instant in 2025, for readable frozen timelines."""
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=day - 1, hours=hour - 12)


def organization_with_key(
    plan: str = "professional",
    *,
    role: str = "owner",
    scopes=("read", "watch", "export", "admin"),
    name: str | None = None,
):
    """An organisation on ``plan`` with one member of ``role`` and a key of theirs.

    Returns (organization, user, secret); the secret is what a client sends.
    """
    from accounts.models import Membership
    from accounts.services import api_key_create, organization_create, user_get_or_create

    organization_with_key.counter += 1
    n = organization_with_key.counter
    organization = organization_create(
        name=name or f"Org {n} ({plan})", plan=plan, owner_email=f"owner{n}@example.com"
    )
    user = Membership.objects.get(organization=organization).user
    if role != "owner":
        user = user_get_or_create(email=f"{role}{n}@example.com")
        Membership.objects.create(organization=organization, user=user, role=role)
    _, secret = api_key_create(
        organization=organization, name=f"{role} key", scopes=scopes, created_by=user
    )
    return organization, user, secret


organization_with_key.counter = 0
