"""Probes for load balancers and orchestrators: /healthz (process up), /readyz (can serve).

Plain Django views outside /api/: they are polled without credentials, so none
of the API conventions (problem details, auth, rate limits) apply. They are
public, so answers name states, never error messages (those can name hosts or
users); the details go to the log.
"""

import logging
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from monitoring import services

logger = logging.getLogger(__name__)

DEFAULT_BEAT_STALE_AFTER_SECONDS = 180


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    # No database or Redis here on purpose: a liveness probe that failed with a
    # dependency would get healthy processes restarted in a loop during an outage.
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    # Only the database decides readiness: with Redis or beat down the API still
    # serves reads; those only pause monitoring, which the body reports.
    database = _database_checks()
    failing = [name for name, state in database.items() if state not in ("ok", "not checked")]
    body = {"status": "not ready" if failing else "ready", "failing": failing}
    body.update(database)
    body.update(_monitoring_checks())
    return JsonResponse(body, status=503 if failing else 200)


def _database_checks() -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readyz: database unreachable", exc_info=True)
        return {"database": "unreachable", "migrations": "not checked"}
    try:
        pending = _pending_migrations()
    except DatabaseError:
        logger.warning("readyz: could not read the applied migrations", exc_info=True)
        return {"database": "ok", "migrations": "unreadable"}
    if pending:
        # Code newer than the schema: serving would hit missing tables or columns.
        logger.warning("readyz: migrations not applied: %s", ", ".join(pending))
        return {"database": "ok", "migrations": f"pending: {len(pending)}"}
    return {"database": "ok", "migrations": "ok"}


def _pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _monitoring_checks() -> dict[str, str | float | None]:
    try:
        age = _beat_heartbeat_age()
    except redis.RedisError:
        logger.warning("readyz: Redis unreachable", exc_info=True)
        return {
            "redis": "unreachable",
            "monitoring": "paused: Redis unreachable",
            "beat": "unknown",
            "beat_heartbeat_age_seconds": None,
        }
    beat = _beat_state(age)
    return {
        "redis": "ok",
        "monitoring": "active" if beat == "ok" else "stalled: no recent beat heartbeat",
        "beat": beat,
        "beat_heartbeat_age_seconds": age,
    }


def _beat_state(age: float | None) -> str:
    if age is None:
        return "missing"
    stale_after = getattr(settings, "BEAT_STALE_AFTER_SECONDS", DEFAULT_BEAT_STALE_AFTER_SECONDS)
    return "stale" if age > stale_after else "ok"


def _beat_heartbeat_age() -> float | None:
    """Seconds since beat_heartbeat_task last ran, None if it never did (or wrote junk)."""
    raw = services.redis_client().get(services.BEAT_HEARTBEAT_KEY)
    if raw is None:
        return None
    try:
        written_at = float(raw)
    except ValueError:
        logger.warning("readyz: unreadable beat heartbeat %r", raw[:40])
        return None
    # A worker whose clock runs ahead would otherwise report a negative age.
    return round(max(0.0, time.time() - written_at), 1)
