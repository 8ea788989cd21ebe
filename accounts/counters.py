"""Redis-backed counters shared by every app (rate limits, heartbeats).

Fixed windows keyed by their start: INCR is atomic, so the count is exact under
any number of concurrent requests, and EXPIRE lets Redis forget old windows.
"""

import functools
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def redis_client() -> redis.Redis:
    """The process's client for settings.REDIS_URL, made on first use.

    One per URL, shared by every thread (its connection pool is thread-safe): a
    request reuses a pooled connection instead of opening one. A forked child
    resets the pool on its first command (redis-py checks the pid).
    """
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        with _clients_lock:
            client = _clients.get(url)
            if client is None:
                client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
                _clients[url] = client
    return client


@dataclass(frozen=True)
class WindowCount:
    limit: int
    count: int
    reset_at: int  # unix time the window ends

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit


def window_hit(
    *, client: redis.Redis, name: str, limit: int, seconds: int, now: float | None = None
) -> WindowCount:
    """Count one hit in the current window of ``seconds`` (aligned to the epoch, so
    daily windows reset at 00:00 UTC)."""
    now = time.time() if now is None else now
    start = int(now // seconds) * seconds
    key = f"{settings.RATE_LIMIT_NAMESPACE}:rate:{name}:{seconds}:{start}"
    pipeline = client.pipeline(transaction=True)
    pipeline.incr(key)
    pipeline.expire(key, seconds + 60)
    count, _ = pipeline.execute()
    return WindowCount(limit=limit, count=int(count), reset_at=start + seconds)


# Both windows are checked and counted in one atomic step, and only an admitted
# request is counted: N concurrent callers against a limit L admit exactly L.
_QUOTA_TAKE = """
local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
if minute >= tonumber(ARGV[1]) or day >= tonumber(ARGV[2]) then
  return {minute, day, 0}
end
minute = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
day = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return {minute, day, 1}
"""

MINUTE = 60
DAY = 86_400


@functools.lru_cache(maxsize=16)
def _quota_script(client: redis.Redis):
    """_QUOTA_TAKE for ``client``: sent by its SHA1 (EVALSHA), the text only when the
    server does not know it yet (after a restart, say), not with every request."""
    return client.register_script(_QUOTA_TAKE)


@dataclass(frozen=True)
class QuotaDecision:
    admitted: bool
    minute: WindowCount
    day: WindowCount

    @property
    def binding(self) -> WindowCount:
        """The window to report (and wait for): the one with the least room left."""
        exhausted = [w for w in (self.minute, self.day) if w.count >= w.limit]
        if exhausted:
            return max(exhausted, key=lambda w: w.reset_at)
        return min((self.minute, self.day), key=lambda w: w.remaining)


def quota_take(
    *, client: redis.Redis, name: str, per_minute: int, per_day: int, now: float | None = None
) -> QuotaDecision:
    """Admit one request under a per-minute and a per-day limit (UTC-aligned windows)."""
    now = time.time() if now is None else now
    minute_start = int(now // MINUTE) * MINUTE
    day_start = int(now // DAY) * DAY
    keys = _quota_keys(name, minute_start, day_start)
    minute, day, admitted = _quota_script(client)(
        keys=keys, args=[per_minute, per_day, MINUTE + 60, DAY + 3600]
    )
    return QuotaDecision(
        admitted=bool(admitted),
        minute=WindowCount(limit=per_minute, count=int(minute), reset_at=minute_start + MINUTE),
        day=WindowCount(limit=per_day, count=int(day), reset_at=day_start + DAY),
    )


def quota_usage(
    *, client: redis.Redis, name: str, now: float | None = None
) -> tuple[int, int, int]:
    """(requests this minute, requests today, seconds until the day resets), read-only."""
    now = time.time() if now is None else now
    minute_start = int(now // MINUTE) * MINUTE
    day_start = int(now // DAY) * DAY
    minute, day = client.mget(*_quota_keys(name, minute_start, day_start))
    return int(minute or 0), int(day or 0), int(day_start + DAY - now)


def _quota_keys(name: str, minute_start: int, day_start: int) -> list[str]:
    prefix = f"{settings.RATE_LIMIT_NAMESPACE}:quota:{name}"
    return [f"{prefix}:m:{minute_start}", f"{prefix}:d:{day_start}"]


def quota_name_for_organization(organization_id: int) -> str:
    return f"org:{organization_id}"
