"""Literal keys of a regular expression: a cheap test that it cannot match a text.

``literal_keys(pattern)`` reads the parsed pattern and returns lower-case strings one of
which every match contains ("opt" for ``opt(?:s|ed)?[\\s-]?out``; "image", "photo",
"picture" for ``images?|photos?|pictures?``), or None when it cannot tell (a pattern
made of digits and classes). ``may_match`` then rules a pattern out with substring
tests on the lowered text, which cost far less than running the pattern: the flags of
a large rewrite run some sixty patterns over hundreds of kilobytes, and most of those
patterns occur in few provisions.

Exact, not a heuristic: a match of a literal under ``re.IGNORECASE`` is the same
letters lowered, except for four characters that Python's engine also folds onto ASCII
letters (dotted and dotless I, long S, the Kelvin sign), so a text holding one of them
is never ruled out.
"""

import re
from re import _constants as sre  # the parser's opcodes; stable across 3.11-3.13
from re import _parser

# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter and str.lower()
# does not lower to it (tests/text/test_flags.py recomputes the list).
CASE_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
_FOLDS = re.compile(f"[{''.join(sorted(CASE_FOLDS_TO_ASCII))}]")

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def literal_keys(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains, or None."""
    keys = _sequence(_parser.parse(pattern, flags))
    return frozenset(key.lower() for key in keys) if keys else None


def _sequence(items) -> set[str] | None:
    """The most selective key set of a sequence: a literal run, or a required group."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        keys = None
        if op is sre.SUBPATTERN:
            keys = _sequence(av[-1])
        elif op is sre.BRANCH:
            branches = [_sequence(branch) for branch in av[1]]
            if all(branches):
                keys = set().union(*branches)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            keys = _sequence(av[2])
        if keys:
            candidates.append(keys)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    return max(candidates, key=lambda keys: min(len(key) for key in keys))


def lowered(text: str) -> str | None:
    """``text`` lowered for ``may_match`` and scanners, or None when a pattern may not be
    ruled out on it. Offsets are kept: U+0130 is the only character that lowers to two,
    and it is one of CASE_FOLDS_TO_ASCII."""
    if not text.isascii() and _FOLDS.search(text):
        return None
    return text.lower()


def may_match(keys: frozenset[str] | None, lowered_text: str | None) -> bool:
    """False only when no match is possible: none of ``keys`` is in the text."""
    if keys is None or lowered_text is None:
        return True
    return any(map(lowered_text.__contains__, keys))


def first_char_scanner(pattern: str, first: str) -> re.Pattern[str]:
    """``pattern`` (case-sensitive, for lowered text) behind a class of the characters
    its matches start with, ``first`` (``[...]`` contents): the engine skips to those in
    C, where a pattern opening with an alternation is tried at every position. The match
    is group 1; ``scanned_spans`` turns the scan into what ``finditer`` would give.
    For patterns that never match the empty string."""
    return re.compile(rf"[{first}](?<=(?=({pattern})).)")


def scanned_spans(scanner: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The spans of ``finditer`` of the scanner's pattern over ``text``: leftmost first,
    and none starting inside the previous one."""
    spans: list[tuple[int, int]] = []
    last = 0
    for match in scanner.finditer(text):
        start, end = match.span(1)
        if start >= last:
            spans.append((start, end))
            last = end
    return spans
