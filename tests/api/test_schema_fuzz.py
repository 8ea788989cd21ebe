"""Schemathesis over the API's schema: no 5xx, every response matches the schema.

A short run is part of `make test`; `make schemathesis` runs a longer one
(SCHEMATHESIS_MAX_EXAMPLES examples per operation).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.http import throttling
from config.wsgi import application

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))


# The schema served by the application itself, so calls go to the WSGI app
# in-process; test_schema.py proves it equals the committed openapi/schema.yaml.
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def in_process(settings, monkeypatch):
    """Django closes database connections when a request ends; inside a test
    transaction that would close the test's own, so (like Django's test client)
    that is switched off here. Every call comes from one address, and the checks of
    missing or wrong keys count against it: its limit is lifted, or they would see 429s."""
    settings.ALLOWED_HOSTS = ["localhost"]
    monkeypatch.setattr(throttling, "ANONYMOUS_REQUESTS_PER_MINUTE", 1_000_000)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.api
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, archive, owner, in_process):
    # As a professional organisation's owner, so the gated endpoints answer too.
    # Schema-valid is not always meaningful: a cursor we never issued or 2025-02-30
    # passes the schema's types, and the API rightly answers 400 with a problem.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {owner.secret}"},
        excluded_checks=[positive_data_acceptance],
    )
