"""Per-host politeness across every worker: one request in flight per host, and a
minimum delay between two requests to it, coordinated in Redis."""

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from monitoring.fetching import FetchError

# Compare-and-delete: a worker releases only the lock it holds, never a successor's.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@contextmanager
def host_turn(
    host: str,
    *,
    client: redis.Redis,
    min_delay: float,
    wait_limit: float,
    lock_seconds: float,
) -> Iterator[None]:
    """Wait for ``host``'s turn (at most ``wait_limit`` seconds), then hold it."""
    lock_key = f"clausewatch:host:{host}:lock"
    last_key = f"clausewatch:host:{host}:last"
    token = uuid.uuid4().hex
    deadline = time.monotonic() + wait_limit
    while not client.set(lock_key, token, nx=True, px=int(lock_seconds * 1000)):
        if time.monotonic() > deadline:
            raise FetchError(f"{host} stayed busy for {wait_limit:.0f}s", transient=True)
        time.sleep(0.02)
    try:
        last = client.get(last_key)
        if last is not None:
            # At most min_delay: the stamp comes from another host's clock, and one
            # running ahead (or a frozen test clock) must not stall this worker longer.
            pause = min(float(last) + min_delay - time.time(), min_delay)
            if pause > 0:
                time.sleep(pause)
        yield
    finally:
        client.set(last_key, repr(time.time()), ex=3600)
        client.eval(_RELEASE, 1, lock_key, token)
