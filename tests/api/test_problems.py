"""Every error under /api/ is application/problem+json: never an HTML page."""

import pytest

pytestmark = [pytest.mark.api, pytest.mark.django_db]


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert set(body) >= {"type", "title", "status", "detail"}
    return body


def test_unrouted_paths(api):
    body = assert_problem(api.get("/api/v1/nothing/here/"), 404)
    assert body["detail"] == "No resource at /api/v1/nothing/here/."


def test_unrouted_paths_even_in_debug_mode(api, settings):
    settings.DEBUG = True
    assert_problem(api.get("/api/v1/nothing/"), 404)


def test_method_not_allowed(api, archive):
    body = assert_problem(api.post("/api/v1/platforms/", {}, format="json"), 405)
    assert "POST" in body["detail"]
    assert_problem(api.delete("/api/v1/platforms/acme-chat/"), 405)


@pytest.mark.parametrize("accept", [{"format": "xml"}, {"HTTP_ACCEPT": "text/csv"}])
def test_unknown_formats_are_406(api, archive, accept):
    params = {"format": accept["format"]} if "format" in accept else {}
    headers = {k: v for k, v in accept.items() if k.startswith("HTTP_")}
    assert_problem(api.get("/api/v1/platforms/", params, **headers), 406)
