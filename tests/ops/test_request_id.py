"""Every request gets an id: the caller's if it is sane, else a fresh one; logs carry it."""

import json
import logging
import re

import pytest

from accounts.request_context import (
    RequestContextFilter,
    context_reset,
    get_request_id,
    set_organization_id,
    set_task_id,
)

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.api
@pytest.mark.parametrize("sent", ["abc-123", "Trace_1.2-x", "a" * 64])
def test_a_sane_id_is_echoed(client, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] == sent


@pytest.mark.api
def test_an_id_is_generated_when_none_is_sent(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert GENERATED.fullmatch(first)
    assert GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.api
@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 65,
        "x" * 500,
        "abc\nSet-Cookie: session=stolen",
        "abc\r\n",
        "abc\n",  # "$" in a regex would let this trailing newline through
        "has space",
        'quote"d',
        "",
    ],
)
def test_a_hostile_id_is_replaced(client, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert GENERATED.fullmatch(response["X-Request-ID"])


@pytest.mark.api
def test_error_responses_carry_the_id_too(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "err-1"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "err-1"


@pytest.mark.api
def test_one_line_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger="clausewatch.request")
    client.get("/healthz?token=secret", headers={"X-Request-ID": "line-1"})
    [line] = [r for r in caplog.records if r.name == "clausewatch.request"]
    assert line.levelno == logging.INFO
    assert (line.method, line.path, line.status) == ("GET", "/healthz", 200)
    assert line.duration_ms >= 0
    assert line.request_id == "line-1"
    assert "secret" not in line.getMessage()  # the query string is never logged


@pytest.mark.api
@pytest.mark.django_db
def test_records_logged_during_a_request_carry_its_id(client, caplog, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # makes readyz log a warning
    client.get("/readyz", headers={"X-Request-ID": "during-1"})
    [warning] = [r for r in caplog.records if r.name == "monitoring.ops"]
    assert warning.request_id == "during-1"
    assert warning.organization_id is None
    assert warning.task_id is None


@pytest.mark.api
@pytest.mark.django_db
def test_djangos_own_error_line_carries_the_id(client, caplog, unreachable_database):
    # Django logs a 5xx ("django.request") only after the middleware chain returns.
    client.get("/readyz", headers={"X-Request-ID": "late-1"})
    [line] = [r for r in caplog.records if r.name == "django.request"]
    assert line.status_code == 503
    assert line.request_id == "late-1"
    assert get_request_id() is None  # cleared once the response was closed


def test_organisation_and_task_ids_can_be_set_and_reset():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    organization_token = set_organization_id(42)
    task_token = set_task_id("task-9")
    try:
        RequestContextFilter().filter(record)
    finally:
        context_reset(task_token)
        context_reset(organization_token)
    assert (record.organization_id, record.task_id) == (42, "task-9")
    later = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    RequestContextFilter().filter(later)
    assert (later.organization_id, later.task_id) == (None, None)


def test_an_explicit_extra_wins_over_the_context():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", None, None)
    record.task_id = "from-extra"
    RequestContextFilter().filter(record)
    assert record.task_id == "from-extra"


def test_the_json_lines_name_request_organisation_and_task():
    handler = logging.getHandlerByName("console")
    record = logging.LogRecord("clausewatch.test", logging.INFO, __file__, 1, "hi", None, None)
    assert handler.filter(record)
    line = json.loads(handler.format(record))
    assert line["message"] == "hi"
    assert {"request_id", "organization_id", "task_id"} <= set(line)
