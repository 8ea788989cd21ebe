"""Writes of the monitoring app."""

import time

from accounts.counters import redis_client

BEAT_HEARTBEAT_KEY = "clausewatch:beat:heartbeat"

__all__ = ["BEAT_HEARTBEAT_KEY", "beat_heartbeat_record", "redis_client"]


def beat_heartbeat_record() -> None:
    redis_client().set(BEAT_HEARTBEAT_KEY, str(time.time()))
