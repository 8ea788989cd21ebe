"""Writes of the monitoring app."""

import time

import redis
from django.conf import settings

BEAT_HEARTBEAT_KEY = "clausewatch:beat:heartbeat"


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def beat_heartbeat_record() -> None:
    redis_client().set(BEAT_HEARTBEAT_KEY, str(time.time()))
