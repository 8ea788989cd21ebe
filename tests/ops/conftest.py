"""Fixtures for the operations endpoints: a private beat heartbeat key, a dead database."""

import time
import uuid
from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from monitoring import ops, services


class Heartbeat:
    """The beat heartbeat, under a key of this test's own in the test Redis (db 15)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.redis = services.redis_client()

    def write(self, *, age_seconds: float) -> None:
        self.redis.set(self.key, str(time.time() - age_seconds))


@pytest.fixture
def heartbeat(monkeypatch) -> Iterator[Heartbeat]:
    # A key per test, never the shared one: parallel runs and a real beat writing
    # to the same Redis database cannot disturb each other. Writer and reader both
    # look the key up on the services module, so they follow the patch.
    beat = Heartbeat(f"clausewatch:test:beat-heartbeat:{uuid.uuid4().hex}")
    monkeypatch.setattr(services, "BEAT_HEARTBEAT_KEY", beat.key)
    yield beat
    beat.redis.delete(beat.key)


@pytest.fixture
def unreachable_database(monkeypatch, tmp_path):
    """A real connection object to a database that is not there, in place of readyz's."""
    real = connections[DEFAULT_DB_ALIAS]
    params = dict(real.settings_dict)
    if real.vendor == "sqlite":
        params["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        params.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    broken = type(real)(params, alias="unreachable")
    monkeypatch.setattr(ops, "connection", broken)
    yield broken
    broken.close()
