"""/healthz answers without dependencies; /readyz reports database, migrations, Redis, beat."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from monitoring.services import beat_heartbeat_record

pytestmark = pytest.mark.api

UNUSED_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
@pytest.mark.redis
def test_ready_with_everything_up(client, heartbeat):
    beat_heartbeat_record()  # what beat_heartbeat_task writes every 60 s
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ready",
        "failing": [],
        "database": "ok",
        "migrations": "ok",
        "redis": "ok",
        "monitoring": "active",
        "beat": "ok",
        "beat_heartbeat_age_seconds": body["beat_heartbeat_age_seconds"],
    }
    assert 0 <= body["beat_heartbeat_age_seconds"] < 5
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_redis_down_pauses_monitoring_but_stays_ready(client, settings):
    settings.REDIS_URL = UNUSED_REDIS
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["redis"] == "unreachable"
    assert body["monitoring"] == "paused: Redis unreachable"
    assert body["beat_heartbeat_age_seconds"] is None


@pytest.mark.django_db
@pytest.mark.redis
def test_no_heartbeat_yet_is_reported_as_null(client, heartbeat):
    body = client.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["beat"] == "missing"
    assert body["beat_heartbeat_age_seconds"] is None
    assert body["monitoring"] == "stalled: no recent beat heartbeat"


@pytest.mark.django_db
@pytest.mark.redis
def test_an_old_heartbeat_is_stale(client, heartbeat):
    heartbeat.write(age_seconds=600)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["beat"] == "stale"
    assert 599 <= body["beat_heartbeat_age_seconds"] < 610


@pytest.mark.django_db
@pytest.mark.redis
def test_the_staleness_limit_is_a_setting(client, heartbeat, settings):
    heartbeat.write(age_seconds=100)
    assert client.get("/readyz").json()["beat"] == "ok"  # default limit: 180 s
    settings.BEAT_STALE_AFTER_SECONDS = 60
    assert client.get("/readyz").json()["beat"] == "stale"


@pytest.mark.django_db
@pytest.mark.redis
def test_a_heartbeat_that_is_not_a_time_counts_as_missing(client, heartbeat):
    heartbeat.redis.set(heartbeat.key, "not-a-time")
    assert client.get("/readyz").json()["beat"] == "missing"


@pytest.mark.django_db
def test_an_unreachable_database_is_not_ready(client, unreachable_database):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["failing"] == ["database"]
    assert body["database"] == "unreachable"
    assert body["migrations"] == "not checked"
    # A public endpoint: states only, never the driver's message (hosts, users).
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_pending_migrations_are_not_ready(client):
    executor = MigrationExecutor(connection)
    app, name = sorted(executor.loader.graph.leaf_nodes())[0]
    # Forget one applied leaf migration; the test's transaction puts it back.
    MigrationRecorder(connection).migration_qs.filter(app=app, name=name).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert body["migrations"] == "pending: 1"


def test_probes_are_not_redirected_to_https(client, settings):
    # Probes reach the process over plain HTTP, behind the TLS-terminating proxy.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200
    api = client.get("/api/v1/")
    assert api.status_code == 301
    assert api["Location"].startswith("https://")


def test_metrics_speak_prometheus(client):
    client.get("/healthz")  # at least one request counted
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_total" in text
    assert 'django_http_requests_total_by_method_total{method="GET"}' in text
