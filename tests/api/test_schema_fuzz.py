"""Schemathesis over the committed schema: no 5xx, every response matches the schema.

A short run is part of `make test`; `make schemathesis` runs a longer one
(SCHEMATHESIS_MAX_EXAMPLES examples per operation).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from tests.api.test_schema import COMMITTED

schema = schemathesis.openapi.from_path(COMMITTED)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))


@pytest.fixture
def wsgi_app(settings):
    """The real WSGI application, kept off the test's database connection lifecycle.

    Django closes connections when a request ends; inside a test transaction that
    would close the test's own connection (Django's test client disconnects it too).
    """
    settings.ALLOWED_HOSTS = ["localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.api
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, archive, wsgi_app):
    # Schema-valid is not always meaningful: a cursor we never issued or 2025-02-30
    # passes the schema's types, and the API rightly answers 400 with a problem.
    case.call_and_validate(app=wsgi_app, excluded_checks=[positive_data_acceptance])
