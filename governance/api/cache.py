"""Rendered bodies of read endpoints whose answer is fixed by a key, kept in Redis.

A version's detail never changes for a given (version, successor); a page of a
document's versions never changes for a given (document, its newest version and
version count, what the caller's plan may see, query string). The view computes
such a key from one cheap query *after* authentication, throttling and the plan
gates have run, then serves the stored bytes or renders and stores them. Only the
body (and its media type) is stored: every header (ETag, Cache-Control, Vary,
X-RateLimit-*, X-Request-ID ...) is made for each request as before.

The key also holds the absolute base URL (bodies contain absolute links), the
negotiated media type and ``settings.API_CACHE_NAMESPACE``. The cache is an
optimisation only: when Redis fails, the request is served as if nothing were
cached (fail open), and a warning is logged.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

logger = logging.getLogger(__name__)

CACHE_ALIAS = "api"


def body_cache_key(request, kind: str, *parts: object) -> str:
    """The key of a body: ``kind``, the parts that fix it, and what the request adds."""
    identity = "\n".join(
        [
            request.build_absolute_uri("/"),
            request.accepted_media_type or "",
            *(str(part) for part in parts),
        ]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"{settings.API_CACHE_NAMESPACE}:{kind}:{digest}"


def cached_response(key: str) -> HttpResponse | None:
    """The stored body under ``key`` as a response, or None (absent, or Redis failing)."""
    try:
        stored = caches[CACHE_ALIAS].get(key)
    except Exception:  # any failure of the cache is a miss, never an error
        logger.warning("API cache unavailable: serving uncached", exc_info=True)
        return None
    if stored is None:
        return None
    content_type, content = stored
    return HttpResponse(content, content_type=content_type)


def body_store(key: str, response) -> None:
    """Keep a successful response's rendered body (and media type) under ``key``."""
    if response.status_code != 200:
        return
    if hasattr(response, "render"):
        response.render()
    try:
        caches[CACHE_ALIAS].set(key, (response["Content-Type"], response.content))
    except Exception:
        logger.warning("API cache unavailable: body not stored", exc_info=True)


class BodyCacheMixin:
    """For viewsets whose handlers mark a response to store: ``response.body_cache_key``.

    Stored in finalize_response, once the response has its renderer, so the bytes kept
    are exactly the bytes sent.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(response, "body_cache_key", None)
        if key is not None:
            body_store(key, response)
        return response
