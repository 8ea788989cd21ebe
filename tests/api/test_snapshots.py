"""GET /api/v1/snapshots/{sha256}/: raw evidence, never rendered on our origin."""

import hashlib

import pytest

pytestmark = [pytest.mark.api, pytest.mark.django_db]


def test_snapshot_bytes_are_an_attachment(api, archive):
    snapshot = archive["versions"][0].snapshots.get()
    response = api.get(f"/api/v1/snapshots/{snapshot.sha256}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == snapshot.sha256
    assert response["Content-Disposition"] == f'attachment; filename="{snapshot.sha256}.html"'
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["ETag"] == f'"{snapshot.sha256}"'
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "Authorization" in response["Vary"]


def test_snapshot_if_none_match_is_a_304(api, archive):
    snapshot = archive["versions"][0].snapshots.get()
    url = f"/api/v1/snapshots/{snapshot.sha256}/"
    response = api.get(url, HTTP_IF_NONE_MATCH=f'"{snapshot.sha256}"')
    assert response.status_code == 304
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("sha", ["0" * 64, "f" * 63, "not-a-hash", "A" * 64])
def test_unknown_or_malformed_sha256_is_a_404_problem(api, archive, sha):
    response = api.get(f"/api/v1/snapshots/{sha}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
