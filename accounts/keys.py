"""API key format, generation and keyed hashing (pure functions, no database).

A key reads ``cw_live_<8 hex id>_<43 url-safe secret chars>``. The id part is the
visible prefix users see in listings; the whole key is stored only as
HMAC-SHA256 under a pepper kept apart from SECRET_KEY, so a database leak alone
cannot be replayed, and comparison is constant-time.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

KEY_PREFIX = "cw_live_"
_ID_HEX_CHARS = 8


@dataclass(frozen=True)
class NewKey:
    prefix: str  # shown in listings, e.g. cw_live_1a2b3c4d
    secret: str  # the whole key, shown once


def key_generate() -> NewKey:
    prefix = KEY_PREFIX + secrets.token_hex(_ID_HEX_CHARS // 2)
    return NewKey(prefix=prefix, secret=f"{prefix}_{secrets.token_urlsafe(32)}")


def key_prefix(secret: str) -> str | None:
    """The visible prefix of a presented key, or None when it is not one of ours."""
    end = len(KEY_PREFIX) + _ID_HEX_CHARS
    # The secret part is url-safe base64 and may itself contain "_": split by position.
    if not secret.startswith(KEY_PREFIX) or secret[end : end + 1] != "_" or len(secret) <= end + 1:
        return None
    prefix = secret[:end]
    return prefix if all(c in "0123456789abcdef" for c in prefix[len(KEY_PREFIX) :]) else None


def key_hash(secret: str, *, pepper: str) -> str:
    if not pepper:  # settings leave it empty when unset: never hash under nothing
        raise ImproperlyConfigured("Set the environment variable API_KEY_PEPPER.")
    return hmac.new(pepper.encode(), secret.encode(), hashlib.sha256).hexdigest()


def key_matches(secret: str, hashed: str, *, pepper: str) -> bool:
    return hmac.compare_digest(key_hash(secret, pepper=pepper), hashed)
