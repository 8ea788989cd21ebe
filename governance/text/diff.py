"""Redlines: word-level diffs of provisions, line-level diffs of whole texts.

``provision_changes`` lists what happened to each clause of an alignment (kind, heading
path before and after, lineage id) with the word diff of its text.

``word_diff(old, new)`` returns ("equal" | "delete" | "insert", text) chunks that lose
nothing: the "equal" and "delete" chunks joined give ``old``, the "equal" and "insert"
chunks joined give ``new``. A token is a word, a CJK character or a punctuation mark,
with the whitespace before it (so that a common subsequence cannot be made of stray
spaces between unrelated words); for Chinese, Japanese and Korean (``language``) every
character is a token.

Algorithm: the common start and end are cut off at a token boundary (a one-word change
in a 20,000-word provision: 0.2 ms instead of 17), the rest is tokenised, tokens are
coded as one character each and aligned by ``rapidfuzz.distance.Indel.opcodes``, a
longest common subsequence in C (bit-parallel, O(N·M/64)). A minimal LCS still pairs
stray "the"s and commas between rewritten passages, so a clean-up in the manner of
diff-match-patch's ``diff_cleanupSemantic`` then turns an equality into a delete +
insert when it is no longer than the changes on each side of it.

Measured on the corpus (all 540 consecutive version pairs; word diffs of the 4,881
paired provisions whose text changed, on the same tokens; a shared 2-core machine),
time per version pair: this module median 0.24 ms, p95 5.9 ms, max 76 ms (the worst
single provision, 14,000 x 9,400 tokens, 46 ms);
``difflib.SequenceMatcher(autojunk=False)`` median 0.30 ms, p95 22 ms, max 1.25 s;
diff-match-patch (pure Python, tokens coded the same way, no deadline) median 0.39 ms,
p95 21 ms, max 19.3 s. A synthetic provision with every tenth word changed: 2,000
words 4 ms / 3.95 s (difflib) / 65 ms (diff-match-patch); 10,000 words 26 ms / - /
1.3 s. The pure-Python ones are quadratic in bad cases (difflib when a token repeats
thousands of times); rapidfuzz is quadratic too, but over 64-bit words in C, and is
already a dependency for alignment. bench/lineage.py keeps measuring it.
"""

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from governance.text.align import MERGED, SPLIT, UNCHANGED, Match
from governance.text.segment import Segment

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# Character by character for these languages: words are not separated by spaces.
CHARACTER_LANGUAGES = frozenset({"zh", "ja", "ko"})

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# A token is a word, a CJK character or a punctuation mark, with the whitespace before
# it: then a common subsequence cannot be made of stray spaces between unrelated words.
_TOKEN = re.compile(rf"\s*(?:[{_CJK}]|[^\W{_CJK}]+|[^\w\s])|\s+$")
_CHARACTER = re.compile(r"\s*\S|\s+$")


def tokens(text: str, *, language: str = "en") -> list[str]:
    """The tokens ``word_diff`` compares; joined, they give ``text`` back."""
    if language.split("-")[0].split("_")[0].lower() in CHARACTER_LANGUAGES:
        return _CHARACTER.findall(text)
    return _TOKEN.findall(text)


def word_diff(old: str, new: str, *, language: str = "en") -> list[tuple[str, str]]:
    """Chunks (op, text) turning ``old`` into ``new``, deletions before insertions."""
    # The common start and end are cut off first, at a token boundary: most changed
    # provisions differ in a few words, and tokenising is most of the cost.
    head, tail = _common_affixes(old, new)
    a = tokens(old[head : len(old) - tail], language=language)
    b = tokens(new[head : len(new) - tail], language=language)
    # Codes in order of first appearance (the same inputs always give the same codes),
    # skipping the surrogate range.
    codes = {
        token: chr(n if n < 0xD800 else n + 0x800)
        for n, token in enumerate(dict.fromkeys([*a, *b]))
    }
    coded_a = "".join(map(codes.__getitem__, a))
    coded_b = "".join(map(codes.__getitem__, b))
    chunks: list[tuple[str, str]] = [(EQUAL, old[:head])]
    for op in Indel.opcodes(coded_a, coded_b):
        if op.tag in (EQUAL, DELETE, "replace"):
            deleted = "".join(a[op.src_start : op.src_end])
            chunks.append((EQUAL if op.tag == EQUAL else DELETE, deleted))
        if op.tag in (INSERT, "replace"):
            chunks.append((INSERT, "".join(b[op.dest_start : op.dest_end])))
    chunks.append((EQUAL, old[len(old) - tail :]))
    return _cleanup_semantic(_merge(chunks))


def _common_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the longest common start and end of ``old`` and ``new`` that do not
    overlap and are cut where a whitespace run begins in both (or at an end): always
    a token boundary, for words and for characters alike."""
    shortest = min(len(old), len(new))
    head = _longest(lambda n: new.startswith(old[:n]), shortest)
    while not (_cut(old, head) and _cut(new, head)):
        head -= 1
    tail = _longest(lambda n: old.endswith(new[len(new) - n :]), shortest - head)
    while not (_cut(old, len(old) - tail) and _cut(new, len(new) - tail)):
        tail -= 1
    return head, tail


def _cut(text: str, index: int) -> bool:
    return index in (0, len(text)) or (text[index].isspace() and not text[index - 1].isspace())


def _longest(holds: Callable[[int], bool], limit: int) -> int:
    """The largest n <= ``limit`` with ``holds(n)``, for a monotone ``holds`` (binary
    search: each test is one C-level comparison)."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _merge(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop empty chunks; within each run of changes, one delete then one insert."""
    out: list[tuple[str, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op, text in [*chunks, (EQUAL, "")]:
        if op == DELETE:
            deleted.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            for change, parts in ((DELETE, deleted), (INSERT, inserted)):
                if "".join(parts):
                    out.append((change, "".join(parts)))
                parts.clear()
            if text and out and out[-1][0] == EQUAL:
                out[-1] = (EQUAL, out[-1][1] + text)
            elif text:
                out.append((EQUAL, text))
    return out


def _cleanup_semantic(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fold equalities that are no longer than the changes on both of their sides.

    Such an equality is chaff (a space, "the", a comma between two rewritten
    passages); folding it leaves one readable replacement. Repeats until stable:
    each fold can make the next equality foldable.
    """
    while True:
        folded = False
        out: list[tuple[str, str]] = []
        for index, (op, text) in enumerate(chunks):
            if op == EQUAL and 0 < index < len(chunks) - 1:
                before = _change_size(chunks, index, -1)
                after = _change_size(chunks, index, 1)
                if before and after and len(text) <= min(before, after):
                    out.extend([(DELETE, text), (INSERT, text)])
                    folded = True
                    continue
            out.append((op, text))
        chunks = _merge(out)
        if not folded:
            return chunks


def _change_size(chunks: list[tuple[str, str]], index: int, step: int) -> int:
    """The larger of the deletion and insertion next to ``chunks[index]``."""
    sizes = {DELETE: 0, INSERT: 0}
    index += step
    while 0 <= index < len(chunks) and chunks[index][0] != EQUAL:
        sizes[chunks[index][0]] += len(chunks[index][1])
        index += step
    return max(sizes.values())


@dataclass(frozen=True)
class ProvisionChange:
    """What happened to one clause between two versions (anything but unchanged).

    ``lineage_id`` is the new provision's (the old one's when removed); ``related``
    as in ``Match``; ``diff`` is the word diff when the text changed and always for a
    split or merge (its parts joined by a blank line), else empty.
    """

    kind: str
    lineage_id: str
    old_index: int | None
    new_index: int | None
    heading_path_before: tuple[str, ...] | None
    heading_path_after: tuple[str, ...] | None
    related: tuple[int, ...]
    diff: list[tuple[str, str]]


def provision_changes(
    old: Sequence[Segment],
    new: Sequence[Segment],
    matches: Sequence[Match],
    old_lineage_ids: Sequence[str],
    new_lineage_ids: Sequence[str],
    *,
    language: str = "en",
) -> list[ProvisionChange]:
    """The changes of an alignment (``align``, ``lineage_assign``), in its order."""
    changes = []
    for match in matches:
        if match.kind == UNCHANGED:
            continue
        i, j = match.old_index, match.new_index
        olds = [] if i is None else [i, *(match.related if match.kind == MERGED else ())]
        news = [] if j is None else [j, *(match.related if match.kind == SPLIT else ())]
        before = "\n\n".join(old[k].text for k in olds)
        after = "\n\n".join(new[k].text for k in news)
        changed = bool(olds and news) and (match.score < 100.0 or len(olds) + len(news) > 2)
        if j is not None:
            lineage_id = new_lineage_ids[j]
        elif i is not None:
            lineage_id = old_lineage_ids[i]
        changes.append(
            ProvisionChange(
                kind=match.kind,
                lineage_id=lineage_id,
                old_index=i,
                new_index=j,
                heading_path_before=None if i is None else old[i].heading_path,
                heading_path_after=None if j is None else new[j].heading_path,
                related=match.related,
                diff=word_diff(before, after, language=language) if changed else [],
            )
        )
    return changes


def unified_text_diff(
    old_text: str, new_text: str, *, old_name: str = "old", new_name: str = "new"
) -> str:
    """A unified diff (3 lines of context) of two whole texts, line by line."""
    return "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
        )
    )
