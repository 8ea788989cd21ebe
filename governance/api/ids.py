"""Ids in paths and query strings: one spelling each, so every resource has one address.

``int()`` would also read "+12", " 12", "1_2" and fullwidth digits; an id here is ASCII
digits without a leading zero, within what a BigAutoField holds.
"""

import re

MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds

_CANONICAL = re.compile(r"[1-9][0-9]{0,18}")


def canonical_id(raw) -> int | None:
    """The id ``raw`` spells, or None when it is not an id's one spelling (or too large)."""
    if not isinstance(raw, str) or not _CANONICAL.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None
