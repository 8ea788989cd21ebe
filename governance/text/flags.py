"""Semantic change flags: what a change did to modality, negation, numbers, rights and
choices, data categories and governance vocabulary, each citing the exact words.

``change_flags`` reads the provision changes of a version (``diff.provision_changes``):

- an added provision flags the rights, data categories and vocabulary it mentions as
  "added", a removed one as "removed". Not its modals, negations or numbers: nearly
  every clause has a "may" or a "not", and the provision being added is the news;
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
has its own, matched without word boundaries.
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

MODALITY, NEGATION, NUMBER = "modality", "negation", "number"
RIGHT, DATA_CATEGORY, VOCABULARY = "right", "data-category", "vocabulary"
CATEGORIES = (MODALITY, NEGATION, NUMBER, RIGHT, DATA_CATEGORY, VOCABULARY)
CHANGED = "changed"
QUOTE_MAX = 200


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


@dataclass(frozen=True)
class _Hit:
    subject: str
    start: int
    end: int
    kind: str = ""  # the modal's class, the number's kind
    value: str = ""  # a number's quantity and unit: "thirty (30) days" is "30 day"


@dataclass(frozen=True)
class _Lexicon:
    chinese: bool
    # category -> (subject, kind, pattern)
    tables: dict[str, tuple[tuple[str, str, re.Pattern[str]], ...]]
    dates: re.Pattern[str]
    reference_before: re.Pattern[str]


# Words that are addresses, not wording: link targets, URLs, e-mail addresses.
_MASK = re.compile(
    r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|(?<![\w.-])(?:[\w-]+\.)+(?:com|org|net|ai|io|co|dev|app|eu|fr|de|uk|cn|us)(?![\w-])"
    r"(?:/\S*)?"  # bare domain names: "ads.openai.com", "videos.openai.com/x"
)
_ENUMERATOR_BEFORE = re.compile(r"[\s>*_#+\-\\(]*")
_ENUMERATOR_AFTER = re.compile(r"\\?[.)]")
# Next to another number: a phone number, a range, a list of section numbers.
_PHONE_BEFORE = re.compile(r"(?:\d[\s\-\u2013\u2014./(),]{0,2}|\+\s?)$")
_PHONE_AFTER = re.compile(r"[\s\-\u2013\u2014./(),]{0,2}\d|\\\.")  # also "14\\." (an enumerator)
# A footnote or a table-of-contents entry ("\\[45", "[3\\."), a dotted number
# ("A.2", "Terms.12"), a section's title after it ("7 (Confidentiality)").
_REFERENCE_MARK_BEFORE = re.compile(r"(?:[\[^#№]|\w\.|\.)\\?$")
_SECTION_AFTER = re.compile(r"\s*\((?:[A-Z]|[a-z]\))")
_ADDRESS_AFTER = re.compile(v.EN_ADDRESS_AFTER)
_SPELLED = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
    "eighteen": "18", "twenty": "20", "thirty": "30", "forty": "40", "forty-five": "45",
    "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100",
}  # fmt: skip


@functools.cache
def _lexicon(language: str) -> _Lexicon:
    chinese = language.split("-")[0].split("_")[0].lower() == "zh"

    def compile_(pattern: str) -> re.Pattern[str]:
        # English words end where a word character does not follow; a hyphen before a
        # word ties it to the previous one ("GPT-4", "non-consent" stay apart).
        wrapped = pattern if chinese else rf"(?<![\w\-\u2010\u2011])(?:{pattern})(?!\w)"
        return re.compile(wrapped, re.IGNORECASE)

    def table(rows, with_kind=False):
        if with_kind:
            return tuple((s, k, compile_(p)) for s, k, p in rows)
        return tuple((s, "", compile_(p)) for s, p in rows)

    zh, en = chinese, not chinese
    return _Lexicon(
        chinese=chinese,
        tables={
            MODALITY: table(v.ZH_MODALS if zh else v.EN_MODALS, with_kind=True),
            NEGATION: table(v.ZH_NEGATIONS if zh else v.EN_NEGATIONS),
            NUMBER: tuple((k, k, compile_(p)) for k, p in (v.ZH_NUMBERS if zh else v.EN_NUMBERS)),
            RIGHT: table(v.ZH_RIGHTS if zh else v.EN_RIGHTS),
            DATA_CATEGORY: table(v.ZH_DATA_CATEGORIES if zh else v.EN_DATA_CATEGORIES),
            VOCABULARY: table(v.ZH_VOCABULARY if zh else v.EN_VOCABULARY),
        },
        dates=re.compile(v.DATES, re.IGNORECASE),
        reference_before=re.compile(
            v.EN_REFERENCE_BEFORE if en else v.ZH_REFERENCE_BEFORE, re.IGNORECASE
        ),
    )


class _Text:
    """One side of a provision: its text, and the hits of each category, found once."""

    def __init__(self, text: str, lexicon: _Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        self.masks = [m.span() for m in _MASK.finditer(text)] if text else []
        self._hits: dict[str, list[_Hit]] = {}

    def hits(self, category: str) -> list[_Hit]:
        if category not in self._hits:
            self._hits[category] = self._find(category)
        return self._hits[category]

    def _find(self, category: str) -> list[_Hit]:
        text = self.text
        found = sorted(
            (m.start(), -(m.end() - m.start()), order, subject, kind)
            for order, (subject, kind, pattern) in enumerate(self.lexicon.tables[category])
            for m in pattern.finditer(text)
            if m.end() > m.start() and "\n\n" not in m.group()
        )
        avoid = list(self.masks)
        if category in (NUMBER, MODALITY):  # "May 1, 2025", "2024" are dates
            avoid += [m.span() for m in self.lexicon.dates.finditer(text)]
        if category == NEGATION:  # "will not" is the modal's
            avoid += [(h.start, h.end) for h in self.hits(MODALITY)]
        kept: list[_Hit] = []
        for start, negative, _, subject, kind in found:
            end = start - negative
            if kept and start < kept[-1].end:
                continue  # overlaps a longer or earlier hit of this category
            if any(a < end and start < b for a, b in avoid):
                continue
            if category == NUMBER and not self._quantity(start, end, kind):
                continue
            value = _number_value(text[start:end]) if category == NUMBER else ""
            kept.append(_Hit(subject, start, end, kind, value))
        return kept

    def _quantity(self, start: int, end: int, kind: str) -> bool:
        """False for numbers that name a place or a thing rather than a quantity."""
        text = self.text
        if self.lexicon.reference_before.search(text[max(0, start - 40) : start]):
            return False
        if kind != "number":
            return True
        value = text[start:end]
        if "." in value or ("," not in value and len(value) >= 5):
            return False  # "3.5", "8.1": versions and sections; postcodes, phones
        if _REFERENCE_MARK_BEFORE.search(text[max(0, start - 3) : start]):
            return False
        if _SECTION_AFTER.match(text, end) or _ADDRESS_AFTER.match(text, end):
            return False
        line_start = text.rfind("\n", 0, start) + 1
        if _ENUMERATOR_BEFORE.fullmatch(text[line_start:start]) and _ENUMERATOR_AFTER.match(
            text, end
        ):
            return False  # "3." or "3)" opening a line
        if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            return False  # "(3)"
        return not (
            _PHONE_BEFORE.search(text[max(0, start - 3) : start]) or _PHONE_AFTER.match(text, end)
        )

    def quote(self, hit: _Hit) -> str:
        return _quote(self.text, hit.start, hit.end, chinese=self.lexicon.chinese)


_HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@functools.cache
def _topics(chinese: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = v.ZH_NUMBER_TOPICS if chinese else v.EN_NUMBER_TOPICS
    boundary = "{}" if chinese else r"(?<![\w-])(?:{})(?!\w)"
    return tuple((name, re.compile(boundary.format(p), re.IGNORECASE)) for name, p in rows)


def topic_of(quote: str) -> str | None:
    """What the number in ``quote`` (a number flag's words) is about, if it says:
    "retention period", "age threshold", "notice period", "liability cap", "fee"."""
    for name, pattern in _topics(bool(_HAS_CJK.search(quote))):
        if pattern.search(quote):
            return name
    return None


def _quote(text: str, start: int, end: int, *, chinese: bool) -> str:
    """The words of ``text[start:end]`` with a few around them, on its line."""
    reach = 12 if chinese else 40
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    a, b = max(line_start, start - reach), min(line_end, end + reach)
    if not chinese:  # whole words only
        if a > line_start and not text[a - 1].isspace():
            space = text.find(" ", a, start)
            a = start if space == -1 else space + 1
        if b < line_end and not text[b].isspace():
            space = text.rfind(" ", end, b)
            b = end if space == -1 else space
    quote = text[a:b].strip()
    return quote if len(quote) <= QUOTE_MAX else text[start : start + QUOTE_MAX].strip()


def change_flags(
    changes: Sequence[ProvisionChange],
    old: Sequence[Segment],
    new: Sequence[Segment],
    *,
    language: str = "en",
) -> list[Flag]:
    """The flags of ``changes``, in provision order, then category order (module doc)."""
    lexicon = _lexicon(language or "en")
    flags: list[Flag] = []
    seen: set[tuple[str, str, str, str]] = set()
    for change in changes:
        for flag in _provision_flags(change, old, new, lexicon):
            key = (flag.category, flag.subject, flag.direction, flag.lineage_id)
            if key not in seen:  # one flag per subject and direction in a provision
                seen.add(key)
                flags.append(flag)
    return flags


def _provision_flags(
    change: ProvisionChange, old: Sequence[Segment], new: Sequence[Segment], lexicon: _Lexicon
) -> list[Flag]:
    heading = change.heading_path_after or change.heading_path_before or ()
    if change.kind in (ADDED, REMOVED):
        index = change.new_index if change.kind == ADDED else change.old_index
        assert index is not None  # an added provision has a new index, a removed an old
        text = _Text((new if change.kind == ADDED else old)[index].text, lexicon)
        out = []
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


def _first_of_each(hits: list[_Hit]) -> list[_Hit]:
    return list({hit.subject: hit for hit in reversed(hits)}.values())[::-1]


def _flag(change, heading, category, subject, direction, before, after) -> Flag:
    return Flag(category, subject, direction, change.lineage_id, heading, before, after)


class _Compared:
    """A changed clause: the terms of each side that its word diff touched."""

    def __init__(self, change: ProvisionChange, heading: tuple[str, ...], lexicon: _Lexicon):
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
        self.old = _Text("".join(old_parts), lexicon)
        self.new = _Text("".join(new_parts), lexicon)
        self.old_hunks = [(h[0], h[1]) for h in hunks]
        self.new_hunks = [(h[2], h[3]) for h in hunks]

    def flags(self) -> list[Flag]:
        out = self.modality()
        out += self.negation()
        out += self.numbers()
        for category in (RIGHT, DATA_CATEGORY, VOCABULARY):
            out += self.presence(category)
        return out

    def touched(self, category: str) -> tuple[list[_Hit], list[_Hit]]:
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
    def _shown(category: str, hit: _Hit, side: _Text) -> str:
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


def _touched(hits: list[_Hit], hunks: list[tuple[int, int]]) -> list[_Hit]:
    """The hits that overlap or touch a changed span (hunks are sorted, disjoint)."""
    ends = [end for _, end in hunks]
    out = []
    for hit in hits:
        k = bisect.bisect_left(ends, hit.start)  # the first hunk ending at or after it
        if k < len(hunks) and hunks[k][0] <= hit.end:
            out.append(hit)
    return out


def _cancel(olds: list[_Hit], news: list[_Hit], key) -> tuple[list[_Hit], list[_Hit]]:
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


def _row(text: str, hit: _Hit) -> str:
    """The first cell of the table row ``hit`` is on ("" outside tables)."""
    line = text[text.rfind("\n", 0, hit.start) + 1 : hit.start].lstrip()
    return line.split("|")[1].strip().casefold() if line.startswith("|") else ""


_CURRENCY = {"usd": "$", "dollars": "$", "us": "", "eur": "€", "euros": "€", "gbp": "£"}
_CURRENCY |= {"pounds": "£"}
_VALUE_WORD = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+|[%$€£¥￥％]")  # noqa: RUF001


def _number_value(text: str) -> str:
    words = [
        _CURRENCY.get(w, _SPELLED.get(w, w))
        for w in _VALUE_WORD.findall(text.lower().replace(",", ""))
    ]
    # "thirty (30) days": the spelled number and the digits say the same.
    deduped = [w for k, w in enumerate(words) if k == 0 or w != words[k - 1]]
    # Sorted: "$75,000" and "75,000 dollars" are one amount.
    return " ".join(sorted(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in deduped if w))
