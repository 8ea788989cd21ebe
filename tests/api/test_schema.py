"""The committed OpenAPI schema is the one the code generates, and it validates cleanly."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.api

COMMITTED = Path(settings.BASE_DIR) / "openapi" / "schema.yaml"


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "schema.yaml"
    # --fail-on-warn turns any drf-spectacular warning into a failure of this test.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), (
        "openapi/schema.yaml is stale: run `make schema` and commit it"
    )


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/platforms/{slug}/" in schema.content
    assert client.get("/api/docs/").status_code == 200
