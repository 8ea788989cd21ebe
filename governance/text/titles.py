"""Titles and bodies of change summaries, for ``summary``: flags grouped into phrases
("opt-out and consent language removed", "retention period changed from 30 days to 90
days"), body lines quoting the words, counts in words, and titles cut to fit.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from governance.text.flags import (
    CHANGED,
    DATA_CATEGORY,
    MODALITY,
    NEGATION,
    RIGHT,
    VOCABULARY,
    Flag,
)
from governance.text.numbers import topic_of
from governance.text.vocabulary import STRONG_OBLIGATIONS, STRONG_PROHIBITIONS

if TYPE_CHECKING:
    from governance.text.summary import ChangeCounts

TITLE_MAX = 140
BODY_QUOTE_MAX = 120


def groups(
    flags: Sequence[Flag], order: Sequence[Callable[[Flag], bool]]
) -> list[tuple[str, list[Flag]]]:
    """(phrase, flags) in rule order: rights, data categories and vocabulary grouped by
    direction ("opt-out and consent language removed"), the rest one phrase each."""
    grouped: dict[tuple, list[Flag]] = {}
    for rank, belongs in enumerate(order):
        for flag in flags:
            if belongs(flag) and not any(flag in members for members in grouped.values()):
                listed = flag.category in (RIGHT, DATA_CATEGORY, VOCABULARY) or _strong(flag)
                key = (rank, flag.direction) if listed else (rank, flag.subject, flag.direction)
                grouped.setdefault(key, []).append(flag)
    return [(_phrase(members), members) for members in grouped.values()]


def _strong(flag: Flag) -> bool:
    """An obligation or prohibition coming or going: one phrase per direction."""
    return (
        flag.category == MODALITY
        and flag.direction != CHANGED
        and flag.subject in STRONG_OBLIGATIONS | STRONG_PROHIBITIONS
    )


def _phrase(members: list[Flag]) -> str:
    flag = members[0]
    subjects = list(dict.fromkeys(f.subject for f in members))
    direction = flag.direction
    if _strong(flag):  # 'prohibitions ("may not", "will not") added'
        noun = "prohibition" if flag.subject in STRONG_PROHIBITIONS else "obligation"
        noun = noun if len(subjects) == 1 else f"{noun}s"
        return f"{noun} ({', '.join(f'"{s}"' for s in subjects)}) {direction}"
    if flag.category in (RIGHT, VOCABULARY):
        return f"{_join(subjects)} language {direction}"
    if flag.category == DATA_CATEGORY:
        noun = "data category" if len(subjects) == 1 else "data categories"
        return f"{noun} {direction}: {_join(subjects)}"
    if flag.category == NEGATION:
        return f'negation "{flag.subject}" {direction}'
    if flag.category == MODALITY:
        if direction == CHANGED:
            before, after = flag.subject.split(" → ", 1)
            return f'"{before}" changed to "{after}"'
        return f'"{flag.subject}" {direction}'
    topic = topic_of(f"{flag.before} {flag.after}")
    if direction == CHANGED:
        before, after = flag.subject.split(" → ", 1)
        return (
            f"{topic} changed from {before} to {after}"
            if topic
            else (f"{before} changed to {after}")
        )
    return f"{topic} of {flag.subject} {direction}" if topic else f"{flag.subject} {direction}"


def line(phrase: str, members: list[Flag]) -> str:
    flag = members[0]
    where = f' under "{" > ".join(flag.heading_path)}"' if flag.heading_path else ""
    more = len({f.lineage_id for f in members}) - 1
    also = f" (and {plural(more, 'other provision')})" if more else ""
    text = f"{phrase[:1].upper()}{phrase[1:]}{where}{also}"
    if flag.before and flag.after:
        return f'{text}: "{_short(flag.before)}" became "{_short(flag.after)}".'
    return f'{text}: "{_short(flag.before or flag.after)}".'


def _short(quote: str) -> str:
    quote = " ".join(quote.split())
    if len(quote) <= BODY_QUOTE_MAX:
        return quote
    cut = quote.rfind(" ", 0, BODY_QUOTE_MAX)
    return f"{quote[: cut if cut > BODY_QUOTE_MAX // 2 else BODY_QUOTE_MAX]}…"


def counts_phrase(counts: "ChangeCounts") -> str:
    """The counts as words: "3 provisions added, 1 removed, 2 modified" (zeros left out)."""
    parts = [
        (n, kind)
        for n, kind in (
            (counts.added, "added"),
            (counts.removed, "removed"),
            (counts.modified, "modified"),
            (counts.moved, "moved"),
            (counts.split, "split"),
            (counts.merged, "merged"),
        )
        if n
    ]
    if not parts:
        return ""
    (first, kind), *rest = parts
    return ", ".join([f"{plural(first, 'provision')} {kind}", *(f"{n} {k}" for n, k in rest)])


def fit(start: str, phrases: list[str], *, sep: str = "; ") -> str:
    """``start`` and as many phrases as fit in TITLE_MAX, saying when some were left out."""
    first = " " if sep else ""
    title = start
    for index, phrase in enumerate(phrases):
        candidate = f"{title}{first if index == 0 else sep}{phrase}"
        rest = len(phrases) - index - 1
        ending = "; and more" if rest else ""
        if len(candidate) + len(ending) > TITLE_MAX:
            if index == 0:  # not even one phrase fits: cut it
                return f"{candidate[: TITLE_MAX - 1].rstrip()}…"
            return f"{title}; and more"
        title = candidate
    return title


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
