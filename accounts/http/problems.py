"""RFC 9457 problem details: the one error shape of the whole API.

Every error under /api/ (DRF exceptions, Django's 404/500, validation errors)
leaves as ``application/problem+json`` with type, title, status and detail.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://clausewatch.example/problems/"

logger = logging.getLogger(__name__)


def problem(status_code: int, detail: str, *, slug: str | None = None, **extra) -> dict:
    title = HTTPStatus(status_code).phrase
    return {
        "type": PROBLEM_TYPE_BASE + (slug or title.lower().replace(" ", "-")),
        "title": title,
        "status": status_code,
        "detail": detail,
        **extra,
    }


def _flatten(detail) -> str:
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        return _flatten(detail["detail"])
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def problem_exception_handler(exc, context) -> Response | None:
    """DRF's handler, reshaped as problem details (and never an HTML page)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = problem(response.status_code, _flatten(response.data))
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        body["errors"] = exc.detail
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait)
    body.update(getattr(exc, "problem_extra", {}))
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(status_code: int, detail: str) -> JsonResponse:
    return JsonResponse(
        problem(status_code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def not_found_view(request, exception=None) -> JsonResponse:
    """Django's 404 for paths no route matches: a problem, not an HTML page."""
    return problem_response(status.HTTP_404_NOT_FOUND, f"No resource at {request.path}.")


def server_error_view(request) -> JsonResponse:
    return problem_response(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "The server failed to answer this request; it has been logged.",
    )
