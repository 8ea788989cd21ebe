"""Semantic change flags: what a change did to modality, negation, numbers, rights and
choices, data categories and governance vocabulary, each citing the exact words.

``change_flags`` reads the provision changes of a version (``diff.provision_changes``):

- an added provision flags the rights, data categories and vocabulary it mentions as
  "added", a removed one as "removed". Not its negations or numbers, nor its modals
  in general: nearly every clause has a "may" or a "not", and the provision being added
  is the news. Its modals count only as a commitment (``commitments``): a strong modal
  laying an obligation or prohibition on the user ("You may not use the Service to
  ...", "Users must be 18") or a prohibition on the company ("We will not sell ..."),
  its addressee at most ``vocabulary.COMMITMENT_GAP`` words before it, outside
  headings, table-of-contents links, questions and conditions ("if you cannot ...");
- a changed clause (modified, split, merged, or moved with new words) is compared only
  where its word diff changed it: a term counts when it overlaps or touches a changed
  chunk, on each side, so an unchanged "may" elsewhere in a long clause does not count
  and a term next to an insertion ("will" + " not") counts on both sides alike;
- a move without new words, an edit of link targets, URLs or e-mail addresses, and the
  stated date ("Last updated: May 1, 2025") raise nothing.

Per category, on the touched words of each side:

- modality: terms of the same class cancel ("shall" -> "must" is a plain-language
  rewrite); the rest pair in order as "may → will" (changed), leftovers are added or
  removed. Negations that are part of a modal ("will not") belong to the modal;
- negation: counted, the surplus of a side is added or removed;
- number: durations, amounts, percentages and plain numbers (not section references,
  enumerators, dates, years, phone or postal numbers), cancelled when equal in value
  ("thirty (30) days" = "30 days"), paired in order within a kind;
- right, data-category, vocabulary: present on one side and not the other.

Vocabularies are data, in ``governance.text.vocabulary``. Chinese (``language`` zh)
has its own, matched without word boundaries. Finding the terms in a text is
``governance.text.terms``; telling quantities from references, ``numbers``.
"""

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from governance.text import vocabulary as v
from governance.text.align import ADDED, REMOVED
from governance.text.diff import DELETE, EQUAL, INSERT, ProvisionChange
from governance.text.segment import Segment
from governance.text.terms import (
    CATEGORIES,
    DATA_CATEGORY,
    MODALITY,
    NEGATION,
    NUMBER,
    RIGHT,
    VOCABULARY,
    Hit,
    Lexicon,
    Terms,
    lexicon,
    terms_of,
)
from governance.text.terms import (
    quote as quote_of,
)

__all__ = [
    "CATEGORIES", "CHANGED", "DATA_CATEGORY", "MODALITY", "NEGATION", "NUMBER", "RIGHT",
    "VOCABULARY", "Flag", "change_flags", "commitments",
]  # fmt: skip
CHANGED = "changed"


@dataclass(frozen=True)
class Flag:
    """One semantic change of one provision, with the words that show it."""

    category: str
    subject: str
    direction: str  # "added" | "removed" | "changed"
    lineage_id: str
    heading_path: tuple[str, ...]
    before: str  # a quote of the old provision ("" when the words are new)
    after: str  # a quote of the new provision ("" when the words are gone)

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "subject": self.subject,
            "direction": self.direction,
            "lineage_id": self.lineage_id,
            "heading_path": list(self.heading_path),
            "before": self.before,
            "after": self.after,
        }


def change_flags(
    changes: Sequence[ProvisionChange],
    old: Sequence[Segment],
    new: Sequence[Segment],
    *,
    language: str = "en",
) -> list[Flag]:
    """The flags of ``changes``, in provision order, then category order (module doc)."""
    lexicon_ = lexicon(language or "en")
    flags: list[Flag] = []
    seen: set[tuple[str, str, str, str]] = set()
    for change in changes:
        for flag in _provision_flags(change, old, new, lexicon_):
            key = (flag.category, flag.subject, flag.direction, flag.lineage_id)
            if key not in seen:  # one flag per subject and direction in a provision
                seen.add(key)
                flags.append(flag)
    return flags


def _provision_flags(
    change: ProvisionChange, old: Sequence[Segment], new: Sequence[Segment], lexicon: Lexicon
) -> list[Flag]:
    heading = change.heading_path_after or change.heading_path_before or ()
    if change.kind in (ADDED, REMOVED):
        index = change.new_index if change.kind == ADDED else change.old_index
        assert index is not None  # an added provision has a new index, a removed an old
        text = terms_of((new if change.kind == ADDED else old)[index].text, lexicon)
        out = []
        if not lexicon.chinese:
            for subject, start, end in commitments(text.text):
                words = quote_of(text.text, start, end, chinese=False)
                before, after = ("", words) if change.kind == ADDED else (words, "")
                out.append(_flag(change, heading, MODALITY, subject, change.kind, before, after))
        for category in (RIGHT, DATA_CATEGORY, VOCABULARY):
            for hit in _first_of_each(text.hits(category)):
                quote = text.quote(hit)
                before, after = ("", quote) if change.kind == ADDED else (quote, "")
                out.append(
                    _flag(change, heading, category, hit.subject, change.kind, before, after)
                )
        return out
    if not any(op != EQUAL for op, _ in change.diff):
        return []  # moved, same words
    return _Compared(change, heading, lexicon).flags()


# A condition or a question, not a commitment: "if you cannot sign in", "unless you
# agree to ...", "to the extent the Customer cannot ...", "What you cannot do".
_CONDITION_BEFORE = re.compile(
    r"\b(?:if|unless|whether|when|where|once|until|whenever|what|extent(?:\s+that)?)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SKIPPED_LINE = re.compile(r"^\s*(?:#|(?:[-*+]|\d+[.)])?\s*\[|\|)")  # heading, TOC, table


@functools.cache
def _commitment_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Words between the addressee and the modal: no punctuation, no "that" or "which"
    # starting another clause ("You agree that xAI shall ..."), no weak modal making it
    # an option ("Customer may agree not to use", "you may be required to").
    word = (
        r"(?!(?:that|which|who|if|unless|when|may|might|can|could|would|should)\b)"
        r"[^\s.,;:!?]+"
    )
    gap = rf"(?:[ \t]+{word}){{0,{v.COMMITMENT_GAP}}}?[ \t]+"
    rows = [(s, v.EN_USER_ADDRESSEES, p) for s, p in v.EN_USER_COMMITMENTS]
    rows += [(s, v.EN_COMPANY_ADDRESSEES, p) for s, p in v.EN_COMPANY_COMMITMENTS]
    return tuple(
        (subject, re.compile(rf"(?<![\w-])(?:{who}){gap}(?P<modal>{modal})(?!\w)", re.I))
        for subject, who, modal in rows
    )


def commitments(text: str) -> list[tuple[str, int, int]]:
    """The obligations and prohibitions ``text`` states, as (subject, start, end): from
    the addressee to the end of the modal, in text order, one per modal (the longest:
    "must not" over "must"). English only (module doc)."""
    found = []
    for order, (subject, pattern) in enumerate(_commitment_patterns()):
        for m in pattern.finditer(text):
            start, modal_start, end = m.start(), m.start("modal"), m.end()
            line_start = text.rfind("\n", 0, start) + 1
            if _SKIPPED_LINE.match(text, line_start) or _CONDITION_BEFORE.search(
                text[max(line_start, start - 20) : start]
            ):
                continue
            stop = re.search(r"[.?!\n]", text[end:])
            if stop is not None and stop.group() == "?":
                continue  # a question: "Can't you ...?"
            found.append((modal_start, -(end - modal_start), order, subject, start, end))
    kept: list[tuple[str, int, int]] = []
    last_end = -1
    for modal_start, _, _, subject, start, end in sorted(found):
        if modal_start < last_end:
            continue  # the same modal, read shorter ("must" inside "must not")
        last_end = end
        kept.append((subject, start, end))
    return kept


def _first_of_each(hits: list[Hit]) -> list[Hit]:
    return list({hit.subject: hit for hit in reversed(hits)}.values())[::-1]


def _flag(change, heading, category, subject, direction, before, after) -> Flag:
    return Flag(category, subject, direction, change.lineage_id, heading, before, after)


class _Compared:
    """A changed clause: the terms of each side that its word diff touched."""

    def __init__(self, change: ProvisionChange, heading: tuple[str, ...], lexicon: Lexicon):
        self.change, self.heading = change, heading
        old_parts, new_parts, hunks = [], [], []
        o = n = 0
        for op, text in change.diff:
            if op != EQUAL and (not hunks or hunks[-1][1] != o or hunks[-1][3] != n):
                hunks.append([o, o, n, n])  # a run of changes starts here
            if op in (EQUAL, DELETE):
                old_parts.append(text)
                o += len(text)
            if op in (EQUAL, INSERT):
                new_parts.append(text)
                n += len(text)
            if op != EQUAL:
                hunks[-1][1], hunks[-1][3] = o, n
        self.old = terms_of("".join(old_parts), lexicon)
        self.new = terms_of("".join(new_parts), lexicon)
        self.old_hunks = [(h[0], h[1]) for h in hunks]
        self.new_hunks = [(h[2], h[3]) for h in hunks]

    def flags(self) -> list[Flag]:
        out = self.modality()
        out += self.negation()
        out += self.numbers()
        for category in (RIGHT, DATA_CATEGORY, VOCABULARY):
            out += self.presence(category)
        return out

    def touched(self, category: str) -> tuple[list[Hit], list[Hit]]:
        return (
            _touched(self.old.hits(category), self.old_hunks),
            _touched(self.new.hits(category), self.new_hunks),
        )

    def flag(self, category, subject, direction, before=None, after=None) -> Flag:
        return _flag(
            self.change,
            self.heading,
            category,
            subject,
            direction,
            "" if before is None else self.old.quote(before),
            "" if after is None else self.new.quote(after),
        )

    def modality(self) -> list[Flag]:
        olds, news = self.touched(MODALITY)
        olds, news = _cancel(olds, news, lambda h: h.subject)
        olds, news = _cancel(olds, news, lambda h: h.kind)  # same class: a rewording
        return self.paired(MODALITY, olds, news, lambda before, after: True)

    def negation(self) -> list[Flag]:
        olds, news = _cancel(*self.touched(NEGATION), lambda h: h.subject)
        return self.paired(NEGATION, olds, news, lambda before, after: False)

    def numbers(self) -> list[Flag]:
        olds, news = _cancel(*self.touched(NUMBER), lambda h: (h.kind, h.value))
        # Of one kind, and in a table on the same row: cookies added and removed in a
        # table are not one cookie's lifetime changed.
        return self.paired(
            NUMBER,
            olds,
            news,
            lambda a, b: a.kind == b.kind and _row(self.old.text, a) == _row(self.new.text, b),
        )

    def paired(self, category, olds, news, pairs) -> list[Flag]:
        """Each old hit paired with the first free new one that ``pairs`` allows
        ("changed"), then the unpaired ones (removed, added)."""
        out, free = [], list(news)
        left = []
        for before in olds:
            after = next((h for h in free if pairs(before, h)), None)
            if after is None:
                left.append(before)
                continue
            free.remove(after)
            subject = f"{self._shown(category, before, self.old)} → "
            subject += self._shown(category, after, self.new)
            out.append(self.flag(category, subject, CHANGED, before, after))
        out += [
            self.flag(category, self._shown(category, h, self.old), REMOVED, before=h) for h in left
        ]
        out += [
            self.flag(category, self._shown(category, h, self.new), ADDED, after=h) for h in free
        ]
        return out

    @staticmethod
    def _shown(category: str, hit: Hit, side: Terms) -> str:
        if category == NUMBER:  # the words themselves: "30 days", "$100"
            return " ".join(side.text[hit.start : hit.end].split())
        return hit.subject

    def presence(self, category: str) -> list[Flag]:
        olds, news = self.touched(category)
        old_subjects = {h.subject for h in olds}
        new_subjects = {h.subject for h in news}
        out = [
            self.flag(category, h.subject, REMOVED, before=h)
            for h in _first_of_each(olds)
            if h.subject not in new_subjects
        ]
        out += [
            self.flag(category, h.subject, ADDED, after=h)
            for h in _first_of_each(news)
            if h.subject not in old_subjects
        ]
        return out  # removed first, then added, each in text order


def _touched(hits: list[Hit], hunks: list[tuple[int, int]]) -> list[Hit]:
    """The hits that overlap or touch a changed span (hunks are sorted, disjoint)."""
    ends = [end for _, end in hunks]
    out = []
    for hit in hits:
        k = bisect.bisect_left(ends, hit.start)  # the first hunk ending at or after it
        if k < len(hunks) and hunks[k][0] <= hit.end:
            out.append(hit)
    return out


def _cancel(olds: list[Hit], news: list[Hit], key) -> tuple[list[Hit], list[Hit]]:
    """Drop equal-keyed hits from both sides, in order, as many as both have."""
    available = Counter(key(h) for h in news)
    common = Counter(key(h) for h in olds) & available
    left_old, left_new = [], []
    budget = Counter(common)
    for hit in olds:
        if budget[key(hit)] > 0:
            budget[key(hit)] -= 1
        else:
            left_old.append(hit)
    budget = Counter(common)
    for hit in news:
        if budget[key(hit)] > 0:
            budget[key(hit)] -= 1
        else:
            left_new.append(hit)
    return left_old, left_new


def _row(text: str, hit: Hit) -> str:
    """The first cell of the table row ``hit`` is on ("" outside tables)."""
    line = text[text.rfind("\n", 0, hit.start) + 1 : hit.start].lstrip()
    return line.split("|")[1].strip().casefold() if line.startswith("|") else ""
