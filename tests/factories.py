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
