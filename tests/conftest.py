"""Shared fixtures: the demo corpus (imported once per session) and hypothesis settings."""

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

pytest_plugins = ["tests.personas", "tests.archive"]

# Property tests are reproducible (fixed seed) and never flaky on a busy 2-core machine.
hypothesis_settings.register_profile("clausewatch", derandomize=True, deadline=None)
hypothesis_settings.load_profile("clausewatch")


def corpus_path_or_skip() -> Path:
    """The shared corpus; absent means skip, except under CI=true where it is a failure."""
    path = Path(settings.CORPUS_DIR)
    if (path / "manifest.json").is_file():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the corpus is missing at {path} (set CORPUS_DIR)")
    pytest.skip(f"corpus not found at {path} (set CORPUS_DIR to run corpus tests)")


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    """Each test counts requests in its own Redis keys: ids repeat across tests."""
    settings.RATE_LIMIT_NAMESPACE = f"test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _own_api_cache(settings):
    """Each test caches API bodies under its own keys: ids repeat across tests and runs."""
    settings.API_CACHE_NAMESPACE = f"test-{uuid.uuid4().hex}"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return corpus_path_or_skip()


@pytest.fixture(scope="session")
def imported_corpus(corpus_dir, django_db_setup, django_db_blocker):
    """The whole corpus imported once into the test database, with the catalogue.

    Tests that use it must not be transactional: they would flush it for the rest.
    """
    from governance.catalogue import catalogue_load
    from governance.importing import history_import

    with django_db_blocker.unblock():
        catalogue_load()
        return history_import(corpus_dir=corpus_dir)
