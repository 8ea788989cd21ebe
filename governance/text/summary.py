"""The structured summary of a change: counts, a title, a plain-language body, and a
significance with the rule that decided it. Deterministic, rules only.

Significance, first matching rule wins:

| #  | significance | when                                                                |
| -- | ------------ | ------------------------------------------------------------------- |
| 1  | editorial    | no provision's words changed (``editorial_only``): only whitespace, |
|    |              | punctuation, case, formatting (emphasis, list markers, renumbering),|
|    |              | link targets, or the stated date of a date line                     |
| 2  | major        | a right or choice (opt-out, opt-in, consent, deletion ...) removed  |
| 3  | major        | a right or choice added                                             |
| 4  | major        | a negation added or removed in a clause                             |
| 5a | major        | a whole provision added or removed lays an obligation or prohibition|
|    |              | on the user or a prohibition on the company ("You may not use the  |
|    |              | Service to ...", "We will not sell ..."; ``flags.commitments``)     |
| 5  | major        | a modal changed class (may → will, will not → may, must added)      |
| 6  | major        | a number, duration or amount changed (30 days → 90 days, 13 → 18)   |
| 7  | major        | a data category added or removed (location, biometric ...)          |
| 8  | major        | MAJOR_VOCABULARY appeared or vanished: training, safety review,     |
|    |              | retention, sharing, age, governing law, arbitration, advertising,   |
|    |              | profiling                                                           |
| 9  | minor        | other vocabulary (jurisdiction: EEA, UK ...) appeared or vanished   |
| 10 | minor        | provisions only moved, words unchanged                              |
| 11 | minor        | anything else: words changed, provisions added or removed, no flag  |

Editorial comes first although the issue lists it last: an edit that changes no word
cannot change what a clause says, and a flag raised by such an edit would be an
artefact of the patterns. A move is never editorial: under another heading a clause
may apply to other people. Whole provisions added or removed are not editorial either
(``ProvisionChange`` carries no text for them, and new words are never formatting).

A two-word deletion that removes an opt-in is major by rule 2; a whole section added
that mentions training is major by rule 8; a reworded paragraph with no flagged term
is minor by rule 11; a typo fix is minor (a word changed), a punctuation fix editorial.
"""

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from governance.text import titles
from governance.text.align import ADDED, MERGED, MODIFIED, MOVED, REMOVED, SPLIT
from governance.text.dates import find_stated_dates
from governance.text.diff import DELETE, EQUAL, INSERT, ProvisionChange
from governance.text.flags import (
    CHANGED,
    DATA_CATEGORY,
    MODALITY,
    NEGATION,
    NUMBER,
    RIGHT,
    VOCABULARY,
    Flag,
)
from governance.text.segment import Segment
from governance.text.titles import TITLE_MAX as TITLE_MAX  # re-exported: the title limit
from governance.text.titles import counts_phrase, fit, line, plural
from governance.text.vocabulary import STRONG_OBLIGATIONS, STRONG_PROHIBITIONS

NO_SUMMARY_TECHNICAL = "technical version: a change of our extraction, not of the document"
NO_SUMMARY_SUSPECT = (
    "suspect capture: it looks broken rather than changed (an error page, or most of the "
    "text gone), so it is kept as evidence and not summarised until a recheck confirms it"
)
MAJOR, MINOR, EDITORIAL = "major", "minor", "editorial"

# Vocabulary that makes a change major (rule 8); the rest of it is minor (rule 9).
MAJOR_VOCABULARY = frozenset(
    {"training", "safety review", "retention", "sharing", "age", "governing law",
     "arbitration", "advertising", "profiling"}
)  # fmt: skip

# Modals whose arrival or departure alone makes a change major: obligations and
# prohibitions. "may", "will", "can" ... come and go with every new sentence; their
# swaps across classes ("may" -> "will") are major whatever the term.
STRONG_MODALS = STRONG_OBLIGATIONS | STRONG_PROHIBITIONS

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_WORD_OR_MARK = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+|[^\w\s]")
_LINKS = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<https?://[^>\s]*>|https?://\S+")
_MARKUP = re.compile(r"[*_`~#>|\\]|<br\s*/?>")
_LIST_MARKER = re.compile(
    r"^[ \t]*(?:[-+•·]|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-z]{1,3}\)|[a-z]\.)[ \t]+",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class ChangeCounts:
    added: int
    removed: int
    modified: int
    moved: int
    split: int
    merged: int
    words_added: int
    words_removed: int
    headings_touched: tuple[tuple[str, ...], ...]  # of changed provisions, first seen first

    def as_dict(self) -> dict:
        return asdict(self) | {"headings_touched": [list(p) for p in self.headings_touched]}


@dataclass(frozen=True)
class Summary:
    title: str
    body: str
    significance: str
    rule: str


def change_counts(
    changes: Sequence[ProvisionChange],
    old: Sequence[Segment],
    new: Sequence[Segment],
    *,
    language: str = "en",
) -> ChangeCounts:
    """How many provisions changed, how, and how many words came and went.

    Words are counted on the word diffs (a CJK character is one word, in any
    ``language``: the diff tokenises them alone anyway), whole provisions when added or
    removed; punctuation is not a word.
    """
    del language  # kept for symmetry with the other stages; see the docstring
    kinds = [change.kind for change in changes]
    added = removed = 0
    headings: dict[tuple[str, ...], None] = {}
    for change in changes:
        if change.kind == ADDED and change.new_index is not None:
            added += _words(new[change.new_index].text)
        elif change.kind == REMOVED and change.old_index is not None:
            removed += _words(old[change.old_index].text)
        for op, text in change.diff:
            added += _words(text) if op == INSERT else 0
            removed += _words(text) if op == DELETE else 0
        path = change.heading_path_after
        headings.setdefault(change.heading_path_before if path is None else path or (), None)
    return ChangeCounts(
        added=kinds.count(ADDED),
        removed=kinds.count(REMOVED),
        modified=kinds.count(MODIFIED),
        moved=kinds.count(MOVED),
        split=kinds.count(SPLIT),
        merged=kinds.count(MERGED),
        words_added=added,
        words_removed=removed,
        headings_touched=tuple(headings),
    )


def _words(text: str) -> int:
    return len(_WORD.findall(text))


# --- editorial edits -----------------------------------------------------------------

WHITESPACE, PUNCTUATION, CASE = "whitespace", "punctuation", "case"
FORMATTING, LINK_TARGETS, STATED_DATE = "formatting", "link targets", "stated date"
# A provision with a stated date and at most this many other words is a date line.
DATE_LINE_WORDS = 12
_EDITORIAL_ORDER = (PUNCTUATION, FORMATTING, LINK_TARGETS, CASE, WHITESPACE, STATED_DATE)


def editorial_only(changes: Sequence[ProvisionChange]) -> bool:
    """True when no change alters a word (rule 1 of the module doc); True for none."""
    return all(_editorial_kinds(change) is not None for change in changes)


def _editorial_kinds(change: ProvisionChange) -> frozenset[str] | None:
    """What an editorial change changed; None when it is not editorial."""
    if change.kind in (ADDED, REMOVED, MOVED) or not change.diff:
        return None  # new or gone words, a move, or (no diff) a move of the same text
    old = "".join(text for op, text in change.diff if op != INSERT)
    new = "".join(text for op, text in change.diff if op != DELETE)
    steps: dict[str, Callable[[str], str]] = {
        LINK_TARGETS: lambda t: _LINKS.sub("]", t),
        STATED_DATE: _without_stated_date,
        FORMATTING: lambda t: _LIST_MARKER.sub("", _MARKUP.sub(" ", t)),
        CASE: str.casefold,
    }

    def key(text: str, skip: str = "", pattern: re.Pattern[str] = _WORD) -> list[str]:
        for name, step in steps.items():
            text = text if name == skip else step(text)
        return pattern.findall(text)

    if key(old) != key(new):
        return None
    # A step took part when leaving it out leaves more words and marks differing.
    differing = _differing(key(old, pattern=_WORD_OR_MARK), key(new, pattern=_WORD_OR_MARK))
    kinds = {
        name
        for name in steps
        if _differing(key(old, name, _WORD_OR_MARK), key(new, name, _WORD_OR_MARK)) > differing
    }
    if STATED_DATE in kinds and len(key(old)) > DATE_LINE_WORDS:
        return None  # a date inside a clause is a change of its words
    if key(old, pattern=_WORD_OR_MARK) != key(new, pattern=_WORD_OR_MARK):
        kinds.add(PUNCTUATION)
    return frozenset(kinds or {WHITESPACE})  # nothing but spaces and line breaks


def _differing(a: list[str], b: list[str]) -> int:
    """How many tokens one side has that the other has not."""
    first, second = Counter(a), Counter(b)
    return (first - second).total() + (second - first).total()


def _without_stated_date(text: str) -> str:
    dates = find_stated_dates(text)
    for stated in (dates.last_updated, dates.effective):
        if stated is not None:
            text = text.replace(stated.quote, " ")
    return text


# --- significance ----------------------------------------------------------------------


def _is(category: str, *directions: str) -> Callable[[Flag], bool]:
    return lambda f: f.category == category and (not directions or f.direction in directions)


RULE_COMMITMENT = "major: a provision with an obligation or prohibition ({subject}) was {direction}"
# (significance, rule, which flag decides it); rule 1 and rules 10-11 are in _decide.
_FLAG_RULES: tuple[tuple[str, str, Callable[[Flag], bool]], ...] = (
    (MAJOR, "major: a right or choice ({subject}) was removed", _is(RIGHT, REMOVED)),
    (MAJOR, "major: a right or choice ({subject}) was added", _is(RIGHT)),
    (MAJOR, "major: a negation ({subject}) was {direction}", _is(NEGATION)),
    # Rule 5a: only a flag of a whole provision added or removed (``_decide``).
    (MAJOR, RULE_COMMITMENT, _is(MODALITY, ADDED, REMOVED)),
    (
        MAJOR,
        "major: modality changed ({shift})",
        lambda f: f.category == MODALITY and (f.direction == CHANGED or f.subject in STRONG_MODALS),
    ),
    (MAJOR, "major: a number, duration or amount changed ({shift})", _is(NUMBER, CHANGED)),
    (MAJOR, "major: a data category ({subject}) was {direction}", _is(DATA_CATEGORY)),
    (
        MAJOR,
        "major: {subject} language was {direction}",
        lambda f: f.category == VOCABULARY and f.subject in MAJOR_VOCABULARY,
    ),
    (MINOR, "minor: {subject} language was {direction}", _is(VOCABULARY)),
    (MINOR, "minor: a number, duration or amount was {direction} ({subject})", _is(NUMBER)),
    (MINOR, "minor: a modal was {direction} ({subject})", _is(MODALITY)),
)
RULE_EDITORIAL = (
    "editorial: only whitespace, punctuation, case, formatting, link targets "
    "or the stated date changed"
)
RULE_NOTHING = "editorial: no provision's words changed"
RULE_MOVED = "minor: provisions moved, their words unchanged"
RULE_MINOR = "minor: wording changed without a flagged term"


def _decide(flags: Sequence[Flag], changes: Sequence[ProvisionChange]) -> tuple[str, str]:
    if not changes:
        return EDITORIAL, RULE_NOTHING
    if editorial_only(changes):
        return EDITORIAL, RULE_EDITORIAL
    whole = {c.lineage_id for c in changes if c.kind in (ADDED, REMOVED)}
    for significance, rule, decides in _FLAG_RULES:
        flag = next(
            (f for f in flags if decides(f) and (rule != RULE_COMMITMENT or f.lineage_id in whole)),
            None,
        )
        if flag is not None:
            shift = (
                flag.subject if flag.direction == CHANGED else f"{flag.subject} {flag.direction}"
            )
            return significance, rule.format(
                subject=flag.subject, direction=flag.direction, shift=shift
            )
    if all(c.kind == MOVED and not _words_changed(c) for c in changes):
        return MINOR, RULE_MOVED
    return MINOR, RULE_MINOR


def _words_changed(change: ProvisionChange) -> bool:
    return any(op != EQUAL for op, _ in change.diff)


# --- title and body --------------------------------------------------------------------


def change_summarise(
    *,
    platform: str,
    document: str,
    counts: ChangeCounts,
    flags: Sequence[Flag],
    changes: Sequence[ProvisionChange],
) -> Summary:
    """Title, body and significance of a change (module doc); ``platform`` and
    ``document`` are display names ("ChatGPT", "Privacy Policy")."""
    significance, rule = _decide(flags, changes)
    name = " ".join(part.strip() for part in (platform, document) if part.strip()) or "Document"
    if significance == EDITORIAL:
        kinds = _editorial_summary(changes)
        if kinds:
            title = fit(f"{name}: editorial edits only", [f"({kinds})"], sep=" ")
            body = f"Only {kinds} changed, in {plural(len(changes), 'provision')}; no word did."
        else:
            title = fit(name, [": no provision's words changed"], sep="")
            body = "No provision's words changed: only headings or the layout around them."
        return Summary(title, body, significance, rule)
    groups = titles.groups(flags, _PHRASE_ORDER)
    counted = counts_phrase(counts)
    if groups:
        title = fit(f"{name}:", [phrase for phrase, _ in groups])
    else:
        title = fit(f"{name} revised:", [counted or "provisions changed"])
    lines = [f"{counted[:1].upper()}{counted[1:]}." if counted else "Provisions changed."]
    if counts.words_added or counts.words_removed:
        lines[0] += f" {plural(counts.words_added, 'word')} added, {counts.words_removed} removed."
    lines += [line(phrase, members) for phrase, members in groups[:BODY_FLAG_LINES]]
    if len(groups) > BODY_FLAG_LINES:
        lines.append(f"{plural(len(groups) - BODY_FLAG_LINES, 'more flagged change')}.")
    return Summary(title, "\n".join(lines), significance, rule)


BODY_FLAG_LINES = 4
# Title phrases follow the order of the significance rules, except that a plain modal
# coming or going ("may" added, "would" removed: not a shift of class, not an obligation
# or prohibition) is named last: it decides nothing that the phrases before it do not.
_PHRASE_ORDER = (
    _is(RIGHT, REMOVED),
    _is(RIGHT),
    _is(NEGATION),
    # obligations and prohibitions coming or going, each grouped in one phrase (titles)
    lambda f: _is(MODALITY, ADDED, REMOVED)(f) and f.subject in STRONG_PROHIBITIONS,
    lambda f: _is(MODALITY, ADDED, REMOVED)(f) and f.subject in STRONG_OBLIGATIONS,
    _is(MODALITY, CHANGED),
    _is(NUMBER),
    _is(DATA_CATEGORY),
    lambda f: f.category == VOCABULARY and f.subject in MAJOR_VOCABULARY,
    _is(VOCABULARY),
    _is(MODALITY),
)


def _editorial_summary(changes: Sequence[ProvisionChange]) -> str:
    kinds: set[str] = set()
    for change in changes:
        kinds |= _editorial_kinds(change) or set()
    return ", ".join(kind for kind in _EDITORIAL_ORDER if kind in kinds)
