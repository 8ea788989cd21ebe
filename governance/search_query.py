"""Reading a search query: its words, "quoted phrases", ``OR`` and ``-exclusions``.

Plain Python over ``str`` (no database): ``governance.search`` turns the parsed query
into SQL. The mode (full text or substring) depends on the database and on whether the
query holds CJK characters, which the English parser cannot split into words.
"""

import re
import unicodedata
from dataclasses import dataclass

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
FULLTEXT, SUBSTRING = "fulltext", "substring"

# The characters the English parser cannot split into words. The same class (as
# PostgreSQL regex text) is the predicate of the partial trigram index (migration 0008):
# a substring query that holds one of them can only match text that holds one too.
CJK_CLASS = (
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002fa1f]"
)
_CJK = re.compile(CJK_CLASS)


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


_TOKEN = re.compile(r'-?"[^"]*(?:"|$)|\S+')


class SearchQueryError(ValueError):
    """The query cannot be searched; the message says why, for the caller."""


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    mode: str
    groups: tuple[tuple[Term, ...], ...]  # OR of groups, each an AND of terms

    @property
    def positives(self) -> list[str]:
        return sorted({t.text for g in self.groups for t in g if not t.negated}, key=len)


def search_query_parse(*, query: str, vendor: str) -> ParsedQuery:
    """Check ``query`` and read its words, "phrases", OR and -exclusions."""
    raw = (query or "").strip()
    if not MIN_QUERY_LENGTH <= len(raw) <= MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"is required: {MIN_QUERY_LENGTH} to {MAX_QUERY_LENGTH} characters "
            f"(got {len(raw)})."
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in raw):
        raise SearchQueryError("contains control characters (such as NUL); remove them.")
    mode = FULLTEXT if vendor == "postgresql" and not _CJK.search(raw) else SUBSTRING
    groups: list[list[Term]] = [[]]
    for token in _TOKEN.findall(raw):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        if body.startswith('"'):
            text = " ".join(body.strip('"').split())
        elif body.lower() == "or" and not negated:
            groups.append([])
            continue
        else:
            text = _strip_punctuation(body)
        if text:
            groups[-1].append(Term(text, negated))
    groups = [g for g in groups if g]
    if not groups:
        raise SearchQueryError("has no word to search for, only operators or punctuation.")
    if any(all(t.negated for t in g) for g in groups):
        raise SearchQueryError(
            "needs a word to find in every alternative: an exclusion (-word) alone would "
            "match nearly every provision."
        )
    return ParsedQuery(raw, mode, tuple(tuple(g) for g in groups))


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]
