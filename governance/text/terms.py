"""The terms of each category in one side of a provision, for ``flags``: the lexicon of a
language (the vocabulary tables compiled, with their literal keys) and the hits of a
text, found once per category, longest first where two overlap, never inside a link
target, URL or e-mail address, a modal never inside a date ("May 1, 2025"), a negation
never inside a modal ("will not"), a number only when it is a quantity (``numbers``).

A pattern runs only where its literal keys occur (``_literals``), and the masks and
dates to avoid are found only when some pattern matched: most provisions hold few of
the terms, and running every pattern over every clause of a long rewrite took seconds.
"""

import functools
import re
from dataclasses import dataclass

from governance.text import vocabulary as v
from governance.text._literals import first_char_scanner, literal_keys, lowered, scanned_spans
from governance.text.numbers import is_quantity, number_value

MODALITY, NEGATION, NUMBER = "modality", "negation", "number"
RIGHT, DATA_CATEGORY, VOCABULARY = "right", "data-category", "vocabulary"
CATEGORIES = (MODALITY, NEGATION, NUMBER, RIGHT, DATA_CATEGORY, VOCABULARY)
QUOTE_MAX = 200


@dataclass(frozen=True)
class Hit:
    subject: str
    start: int
    end: int
    kind: str = ""  # the modal's class, the number's kind
    value: str = ""  # a number's quantity and unit: "thirty (30) days" is "30 day"


# Compared by identity (``lexicon`` makes one per language, once): a Lexicon is then
# hashable, a key of ``terms_of``'s cache, without hashing its tables.
@dataclass(frozen=True, eq=False)
class Lexicon:
    chinese: bool
    # category -> (subject, kind, pattern, literal keys: see ``_literals``)
    tables: dict[str, tuple[tuple[str, str, re.Pattern[str], frozenset[str] | None], ...]]
    keys: dict[str, frozenset[str]]  # category -> the literal keys of its patterns
    dates: re.Pattern[str]
    dates_scanner: re.Pattern[str]  # the same, on lowered text (``_literals``)
    reference_before: re.Pattern[str]


# Words that are addresses, not wording: link targets, URLs, e-mail addresses.
_MASK = re.compile(
    r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|(?<![\w.-])(?:[\w-]+\.)+(?:com|org|net|ai|io|co|dev|app|eu|fr|de|uk|cn|us)(?![\w-])"
    r"(?:/\S*)?"  # bare domain names: "ads.openai.com", "videos.openai.com/x"
)
# What each alternative of _MASK needs; a text with none of it has no mask.
_MASK_NEEDS = ("](", "http", "www.", "@")
_MASK_DOMAIN = re.compile(r"\.(?:com|org|net|ai|io|co|dev|app|eu|fr|de|uk|cn|us)(?![\w-])")


_DIGIT = re.compile(r"\d")
_SPELLED_NUMBER = re.compile(v.EN_SPELLED_NUMBERS)  # on lowered text: a prefilter


@functools.cache
def lexicon(language: str) -> Lexicon:
    chinese = language.split("-")[0].split("_")[0].lower() == "zh"

    def row(subject: str, kind: str, pattern: str):
        # English words end where a word character does not follow; a hyphen before a
        # word ties it to the previous one ("GPT-4", "non-consent" stay apart).
        wrapped = pattern if chinese else rf"(?<![\w\-\u2010\u2011])(?:{pattern})(?!\w)"
        compiled = re.compile(wrapped, re.IGNORECASE)
        return subject, kind, compiled, literal_keys(wrapped, re.IGNORECASE)

    def table(rows, with_kind=False):
        if with_kind:
            return tuple(row(s, k, p) for s, k, p in rows)
        return tuple(row(s, "", p) for s, p in rows)

    zh, en = chinese, not chinese
    tables = {
        MODALITY: table(v.ZH_MODALS if zh else v.EN_MODALS, with_kind=True),
        NEGATION: table(v.ZH_NEGATIONS if zh else v.EN_NEGATIONS),
        NUMBER: tuple(row(k, k, p) for k, p in (v.ZH_NUMBERS if zh else v.EN_NUMBERS)),
        RIGHT: table(v.ZH_RIGHTS if zh else v.EN_RIGHTS),
        DATA_CATEGORY: table(v.ZH_DATA_CATEGORIES if zh else v.EN_DATA_CATEGORIES),
        VOCABULARY: table(v.ZH_VOCABULARY if zh else v.EN_VOCABULARY),
    }
    return Lexicon(
        chinese=chinese,
        tables=tables,
        keys={
            category: frozenset(key for *_, keys in rows for key in keys or ())
            for category, rows in tables.items()
        },
        dates=re.compile(v.DATES, re.IGNORECASE),
        dates_scanner=first_char_scanner(v.DATES, v.DATES_FIRST_CHARS),
        reference_before=re.compile(
            v.EN_REFERENCE_BEFORE if en else v.ZH_REFERENCE_BEFORE, re.IGNORECASE
        ),
    )


class Terms:
    """One side of a provision: its text, and the hits of each category, found once."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        self.lowered = lowered(text)
        self._masks: list[tuple[int, int]] | None = None
        self._dates: list[tuple[int, int]] | None = None
        self._hits: dict[str, list[Hit]] = {}

    @property
    def masks(self) -> list[tuple[int, int]]:
        if self._masks is None:
            text = self.text
            needed = any(map(text.__contains__, _MASK_NEEDS)) or _MASK_DOMAIN.search(text)
            self._masks = [m.span() for m in _MASK.finditer(text)] if needed else []
        return self._masks

    @property
    def dates(self) -> list[tuple[int, int]]:
        if self._dates is None:  # every date has a digit
            text, low = self.text, self.lowered
            if not _DIGIT.search(text):
                self._dates = []
            elif low is None:
                self._dates = [m.span() for m in self.lexicon.dates.finditer(text)]
            else:  # lowered keeps every offset (``_literals.lowered``)
                self._dates = scanned_spans(self.lexicon.dates_scanner, low)
        return self._dates

    def hits(self, category: str) -> list[Hit]:
        if category not in self._hits:
            self._hits[category] = self._find(category)
        return self._hits[category]

    def _present(self, category: str) -> frozenset[str] | None:
        """The literal keys of ``category`` in the text (None: assume all are)."""
        keys, low = self.lexicon.keys[category], self.lowered
        return None if low is None else frozenset(k for k in keys if k in low)

    def _find(self, category: str) -> list[Hit]:
        text = self.text
        if (  # English quantities have a digit or a spelled number
            category == NUMBER
            and not self.lexicon.chinese
            and self.lowered is not None
            and not _DIGIT.search(text)
            and not _SPELLED_NUMBER.search(self.lowered)
        ):
            return []
        present = self._present(category)
        found = sorted(
            (m.start(), -(m.end() - m.start()), order, subject, kind)
            for order, (subject, kind, pattern, keys) in enumerate(self.lexicon.tables[category])
            if keys is None or present is None or not keys.isdisjoint(present)
            for m in pattern.finditer(text)
            if m.end() > m.start() and "\n\n" not in m.group()
        )
        if not found:
            return []
        avoid = list(self.masks)
        if category in (NUMBER, MODALITY):  # "May 1, 2025", "2024" are dates
            avoid += self.dates
        if category == NEGATION:  # "will not" is the modal's
            avoid += [(h.start, h.end) for h in self.hits(MODALITY)]
        kept: list[Hit] = []
        for start, negative, _, subject, kind in found:
            end = start - negative
            if kept and start < kept[-1].end:
                continue  # overlaps a longer or earlier hit of this category
            if any(a < end and start < b for a, b in avoid):
                continue
            if category == NUMBER and not is_quantity(
                text, start, end, kind, self.lexicon.reference_before
            ):
                continue
            value = number_value(text[start:end]) if category == NUMBER else ""
            kept.append(Hit(subject, start, end, kind, value))
        return kept

    def quote(self, hit: Hit) -> str:
        return quote(self.text, hit.start, hit.end, chinese=self.lexicon.chinese)


# Successive versions of a document share most of their wording, and a clause edited
# again, or flipping between two wordings, is read from the same text as before: 43% of
# the Terms built over the demo corpus' changes were of a text already seen. A Terms is
# a pure function of its text and lexicon (hits found on demand, then kept), so recent
# ones are reused; a few hundred provisions' worth, kept per process.
TERMS_CACHE_SIZE = 1024


@functools.lru_cache(maxsize=TERMS_CACHE_SIZE)
def terms_of(text: str, lexicon: Lexicon) -> Terms:
    """``Terms(text, lexicon)``, shared with recent callers: never mutate its hits."""
    return Terms(text, lexicon)


def quote(text: str, start: int, end: int, *, chinese: bool) -> str:
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
