"""Matches in a provision's text as plain fragments, for search results.

Pure functions over ``str`` (no Django): a highlight is a list of ``Fragment(text,
match)`` whose texts, joined, are the wording or excerpts of it (with "…" where text is
left out), never HTML, so no third-party text can inject markup into a client.
"""

import re
from dataclasses import dataclass

# Private-use characters: the database's highlighter marks matches with them (after
# removing any from the text), and ``marked_fragments`` cuts its output at them.
MARK_START, MARK_STOP = "\ue000", "\ue001"
EXCERPT_DELIMITER = " … "
SHOWN_WHOLE = 320  # a wording this short (characters) is shown whole
_CONTEXT = 120  # characters either side of a substring match


@dataclass(frozen=True)
class Fragment:
    text: str
    match: bool


def marked_fragments(marked: str, text: str) -> list[Fragment]:
    """ts_headline's output, cut at its markers into plain and matching fragments, with
    an ellipsis where it leaves out the start or the end of the wording."""
    fragments: list[Fragment] = []
    for part in re.split(f"({MARK_START}[^{MARK_STOP}]*{MARK_STOP})", marked):
        if part.startswith(MARK_START):
            fragments.append(Fragment(part[1:-1], True))
        elif part:
            fragments.append(Fragment(part, False))
    plain = "".join(fragment.text for fragment in fragments)
    text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    excerpts = plain.split(EXCERPT_DELIMITER)
    if excerpts[0] and not text.startswith(excerpts[0]):
        fragments.insert(0, Fragment("… ", False))
    if excerpts[-1] and not text.endswith(excerpts[-1]):
        fragments.append(Fragment(" …", False))
    return fragments


def substring_highlight(text: str, terms: list[str]) -> list[Fragment]:
    """``text`` (or windows of it around the first matches) cut into fragments."""
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    spans = [m.span() for m in pattern.finditer(text)]
    if len(text) <= SHOWN_WHOLE or not spans:
        windows = [(0, len(text))] if len(text) <= SHOWN_WHOLE else [(0, SHOWN_WHOLE)]
    else:
        windows = []
        for start, end in spans:
            low, high = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], high)
            elif len(windows) < 2:
                windows.append((low, high))
    fragments: list[Fragment] = []
    for index, (low, high) in enumerate(windows):
        if index or low:
            fragments.append(Fragment("… " if not index else " … ", False))
        cursor = low
        for start, end in spans:
            if start < low or end > high:
                continue
            if start > cursor:
                fragments.append(Fragment(text[cursor:start], False))
            fragments.append(Fragment(text[start:end], True))
            cursor = end
        if cursor < high:
            fragments.append(Fragment(text[cursor:high], False))
    if windows and windows[-1][1] < len(text):
        fragments.append(Fragment(" …", False))
    return fragments
