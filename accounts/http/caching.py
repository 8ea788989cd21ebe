"""HTTP caching for immutable evidence: strong ETags, 304s, and private caches only."""

from django.utils.cache import patch_vary_headers
from rest_framework.request import Request

ONE_YEAR = 365 * 24 * 3600


def etag_matches(request: Request, etag: str) -> bool:
    """True when If-None-Match names ``etag`` (a quoted strong tag) or is ``*``."""
    header = request.headers.get("If-None-Match", "")
    candidates = {tag.strip() for tag in header.split(",")}
    return etag in candidates or "*" in candidates


def cache_headers(response, *, etag: str, immutable: bool, max_age: int = 60):
    """Mark a response cacheable by the caller's own cache only (it depends on the key)."""
    response["ETag"] = etag
    if immutable:
        response["Cache-Control"] = f"private, max-age={ONE_YEAR}, immutable"
    else:
        response["Cache-Control"] = f"private, max-age={max_age}, must-revalidate"
    patch_vary_headers(response, ["Authorization"])
    return response
