"""Who a log line is about: request, organisation and task ids for every record.

Lives in ``accounts`` because accounts imports nothing of ours, so every app may
use it; and it imports no models, because the logging configuration loads the
filter before Django's app registry is ready. The ids sit in context variables,
so each thread (and each asyncio task) sees only its own.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"

# An id from a proxy or client is kept only if it is short and holds nothing that
# could split a log line or a response header (no spaces, newlines or quotes).
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_organization_id: ContextVar[int | str | None] = ContextVar("organization_id", default=None)
_task_id: ContextVar[str | None] = ContextVar("task_id", default=None)

request_logger = logging.getLogger("clausewatch.request")


def get_request_id() -> str | None:
    return _request_id.get()


def set_organization_id(organization_id: int | str | None) -> Token:
    """Label this request's (or task's) later log lines; returns a token for context_reset."""
    return _organization_id.set(organization_id)


def set_task_id(task_id: str | None) -> Token:
    """Label a Celery task's log lines; returns a token for context_reset."""
    return _task_id.set(task_id)


def context_reset(token: Token) -> None:
    """Put a context variable back to what it was before the ``set_*`` that gave the token."""
    token.var.reset(token)


def sane_request_id(value: str | None) -> str | None:
    if value is not None and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


class RequestContextFilter(logging.Filter):
    """Adds request_id, organization_id and task_id to every record (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # setdefault: an explicit ``extra={"task_id": ...}`` from the caller wins.
        record.__dict__.setdefault("request_id", _request_id.get())
        record.__dict__.setdefault("organization_id", _organization_id.get())
        record.__dict__.setdefault("task_id", _task_id.get())
        return True


class RequestIdMiddleware:
    """Gives each request an id (the caller's if sane), echoes it, logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        # Set, not reset on the way out: Django logs 4xx/5xx ("django.request") after
        # the middleware chain returns, and that line must carry the ids too. They
        # are cleared when the response is closed (request_finished, below). Setting
        # all three also drops whatever an earlier request left on this thread.
        _request_id.set(request_id)
        _organization_id.set(None)
        _task_id.set(None)
        started = time.perf_counter()
        # Django turns exceptions below into responses, so this always returns one.
        response = self.get_response(request)
        response.headers[REQUEST_ID_HEADER] = request_id
        _log_request(request, response.status_code, started)
        return response


def _clear_request_context(**_kwargs: object) -> None:
    _request_id.set(None)
    _organization_id.set(None)
    _task_id.set(None)


# Connected here rather than in an AppConfig: the logging configuration imports
# this module before the apps are ready, and the receiver needs nothing from them.
request_finished.connect(_clear_request_context, dispatch_uid="clausewatch.request_context")


def _log_request(request: HttpRequest, status: int, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    # The path only, never the query string: it may carry tokens or personal data.
    request_logger.info(
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )
