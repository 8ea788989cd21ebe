"""host_turn(): one request in flight per host and a pause between two, across processes.

Real Redis (db 15); every test uses host names of its own and deletes their keys.
"""

import threading
import time
import uuid
from itertools import pairwise

import pytest

from accounts.counters import redis_client
from monitoring.fetching import FetchError
from monitoring.politeness import host_turn


@pytest.fixture
def hosts():
    """host(n) -> a host name of this test's own; its keys are deleted afterwards."""
    run = uuid.uuid4().hex
    client = redis_client()

    def host(n: int = 0) -> str:
        return f"politeness-{run}-{n}.test"

    yield host
    keys = list(client.scan_iter(match=f"clausewatch:host:politeness-{run}-*"))
    if keys:
        client.delete(*keys)


def turn(host: str, **options):
    defaults = {"client": redis_client(), "min_delay": 0.0, "wait_limit": 5.0, "lock_seconds": 5}
    return host_turn(host, **{**defaults, **options})


def test_one_request_in_flight_per_host(hosts):
    spans, errors = [], []

    def visit():
        try:
            with turn(hosts()):
                started = time.monotonic()
                time.sleep(0.15)
                spans.append((started, time.monotonic()))
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=visit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not errors and len(spans) == 3
    spans.sort()
    assert all(earlier[1] <= later[0] for earlier, later in pairwise(spans))


def test_two_turns_on_a_host_are_at_least_the_minimum_delay_apart(hosts):
    with turn(hosts(), min_delay=0.3):
        pass
    first_done = time.monotonic()
    with turn(hosts(), min_delay=0.3):
        started = time.monotonic()
    assert started - first_done >= 0.25


def test_other_hosts_do_not_wait(hosts):
    with turn(hosts(1), min_delay=5):
        pass
    started = time.monotonic()
    with turn(hosts(2), min_delay=5):
        pass
    assert time.monotonic() - started < 1


def test_a_host_busy_beyond_the_wait_limit_is_a_transient_failure(hosts):
    with turn(hosts()), pytest.raises(FetchError) as caught, turn(hosts(), wait_limit=0.3):
        pass
    assert caught.value.transient and "stayed busy" in caught.value.reason


def test_the_turn_is_released_when_the_request_fails(hosts):
    with pytest.raises(RuntimeError), turn(hosts()):
        raise RuntimeError("connection reset")
    started = time.monotonic()
    with turn(hosts(), wait_limit=1):
        pass
    assert time.monotonic() - started < 0.5


def test_a_crashed_holder_frees_the_host_when_its_lock_expires(hosts):
    client = redis_client()
    client.set(f"clausewatch:host:{hosts()}:lock", "a worker killed mid-request", px=400)
    started = time.monotonic()
    with turn(hosts(), wait_limit=3):
        pass
    assert 0.3 <= time.monotonic() - started < 2


def test_a_clock_running_ahead_elsewhere_never_stalls_longer_than_the_delay(hosts):
    client = redis_client()
    client.set(f"clausewatch:host:{hosts()}:last", repr(time.time() + 3600))
    started = time.monotonic()
    with turn(hosts(), min_delay=0.2):
        pass
    assert time.monotonic() - started < 1
