"""manage.py load_catalogue: providers, platforms, renames and hand-declared sources."""

from io import StringIO

import pytest
from django.core.management import call_command

from governance.models import Document, Platform, Provider, Source

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    return out.getvalue()


def test_loads_and_is_idempotent():
    first = load()
    counts = (Provider.objects.count(), Platform.objects.count(), Source.objects.count())
    assert load() == first
    assert (Provider.objects.count(), Platform.objects.count(), Source.objects.count()) == counts
    assert "12 providers, 17 platforms" in first


def test_renamed_platforms_are_retired_with_a_successor():
    load()
    openai = Platform.objects.get(slug="openai")
    assert openai.successor.slug == "chatgpt"
    assert openai.retired_at.isoformat() == "2024-02-20T18:30:01+00:00"
    assert Platform.objects.get(slug="chatgpt").retired_at is None


def test_platforms_outside_the_dataset_have_unverified_sources():
    load()
    for slug in ("character-ai", "meta-ai", "google-gemini"):
        documents = Document.objects.filter(platform__slug=slug)
        assert documents.count() == 2
        sources = Source.objects.filter(document__in=documents)
        assert sources.exists()
        assert all(s.verified_at is None and s.url.startswith("https://") for s in sources)


def test_every_corpus_service_is_in_the_catalogue(corpus_dir):
    import json

    load()
    services = {d["service"] for d in json.loads((corpus_dir / "manifest.json").read_text())}
    known = set(Platform.objects.values_list("slug", flat=True))
    assert services <= known
    assert not Platform.objects.filter(slug__in=services, provider__isnull=True).exists()
