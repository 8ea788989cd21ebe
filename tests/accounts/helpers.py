"""Helpers of the accounts tests: problem bodies, audit events, keys by secret."""

from accounts.keys import key_prefix
from accounts.models import ApiKey, AuditEvent

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with ``status``; returns its body."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert set(body) >= {"type", "title", "status", "detail"}
    return body


def key_of(secret: str) -> ApiKey:
    return ApiKey.objects.get(prefix=key_prefix(secret))


def actions(organization) -> list[str]:
    """The organisation's audit actions, oldest first."""
    return list(
        AuditEvent.objects.filter(organization=organization)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
