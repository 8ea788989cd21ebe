"""Which region a document says it applies to, to spot a switch between regional variants.

A page fetched from another country may serve another regional variant of the
same document (the UK terms, then the EEA terms). That is not a change of the
document; it is flagged so that readers do not take it for one.
"""

import functools
import re

# The region names a document uses to say whom it applies to, and their labels.
_REGIONS = {
    "UK": r"United Kingdom|\bUK\b",
    "EEA": r"European Economic Area|\bEEA\b|European Union|\bEU\b",
    "CH": r"Switzerland",
    "US": r"United States|\bU\.S\.",
    "CA": r"Canada",
    "BR": r"Brazil",
    "IN": r"India",
    "KR": r"Korea",
    "JP": r"Japan",
    "CN": r"中国|中华人民共和国|People's Republic of China",
}

# Sentences that say whom the document applies to: "These Terms apply to you if you are
# a consumer who is resident in the United Kingdom", "If you live in the EEA ...".
_APPLIES = re.compile(
    r"(?:appl(?:y|ies) to (?:you|users|consumers)[^.]{0,120}?"
    r"|if you (?:live|reside|are located|are based) in"
    r"|(?:resident|residents|users|consumers) (?:in|of))"
    r"[^.]{0,120}",
    re.IGNORECASE,
)


def stated_regions(text: str, *, head_chars: int = 6000) -> frozenset[str]:
    """Regions named in the applicability sentences of the document's opening."""
    return _head_regions(text[:head_chars])


# Each text is read once as the new capture, then again as the previous one:
# remember the last few answers (keyed by the opening itself, so never a stale one).
@functools.lru_cache(maxsize=8)
def _head_regions(head: str) -> frozenset[str]:
    found: set[str] = set()
    for sentence in _APPLIES.finditer(head):
        for label, pattern in _REGIONS.items():
            if re.search(pattern, sentence.group(0)):
                found.add(label)
    return frozenset(found)


def jurisdiction_switch(text: str, previous: str | None) -> str | None:
    """'UK → CH/EEA' when the stated regions changed between two texts, else None."""
    if previous is None:
        return None
    before, after = stated_regions(previous), stated_regions(text)
    if before and after and before != after:
        return f"{'/'.join(sorted(before))} → {'/'.join(sorted(after))}"
    return None
