"""Idempotency-Key for POSTs that create things: a retried request gets the first answer.

The claim is a row with a unique (organisation, key): of two concurrent retries one
inserts and runs, the other sees the claim and is told to wait (409) or, once the
first has finished, gets the stored response. Secrets named in ``redact`` are never
stored, so a replay of a key creation shows the key's metadata, not its secret.
"""

import hashlib
import json
from collections.abc import Callable, Sequence

from django.db import IntegrityError, transaction
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts.models import IdempotencyRecord, Organization

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being processed; retry soon."


class IdempotencyMismatch(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used for a different request; use a new key."


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(
    request,
    organization: Organization,
    create: Callable[[], Response],
    *,
    redact: Sequence[str] = (),
) -> Response:
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: f"must be 1 to {MAX_KEY_LENGTH} printable characters."}
        )
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                organization=organization, key=key, method_path=f"{request.method} {request.path}",
                fingerprint=fingerprint,
            )
    except IntegrityError:
        return _replay(organization, key, fingerprint)
    try:
        response = create()
    except Exception:
        record.delete()  # a failed attempt must not block the retry
        raise
    stored = {k: v for k, v in response.data.items() if k not in redact}
    stored.update({k: None for k in redact if k in response.data})
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code, body=stored
    )
    return response


def _replay(organization: Organization, key: str, fingerprint: str) -> Response:
    record = IdempotencyRecord.objects.get(organization=organization, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyMismatch()
    if record.status_code is None:
        raise IdempotencyConflict()
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
