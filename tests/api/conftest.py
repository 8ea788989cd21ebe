"""Fixtures of the archive API tests; ``archive`` itself is shared, in tests/archive.py."""

import pytest
from rest_framework.test import APIClient

from tests.factories import organization_with_key

PAGE_SIZES = (5, 50)


@pytest.fixture
def api(db):
    """A professional organisation's owner: every archive endpoint is open to it."""
    _, _, secret = organization_with_key("professional")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # The first use of a key records it (last used, new IP); steady state is one query.
    assert client.get("/api/v1/account/").status_code == 200
    return client


def walk(api, url, **params):
    """Every row of a cursor-paginated list, following `next` links."""
    rows, pages = [], 0
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        pages += 1
        rows.extend(response.json()["results"])
        if not response.json()["next"]:
            return rows, pages
        response = api.get(response.json()["next"])
