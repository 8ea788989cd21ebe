"""Which provision of a version is which provision of its predecessor: clause lineage.

``align(old, new)`` pairs the provisions of two consecutive versions and says what
happened to each (``Match``); ``lineage_assign`` turns that into lineage ids.

Provisions are compared by *key* (``match_key``: casefolded, whitespace collapsed,
quotes and dashes unified, emphasis and link targets dropped, line-leading list markers
and enumerators such as "1.", "A.1.", "(a)", "第三条" removed), so that renumbering and
link tracking parameters hide no clause; heading paths are keyed the same way. Passes,
each over what the previous ones left unpaired:

1. Exact: keys unique on both sides (same section first), then equal keys next to a
   pair, outwards.
2. Fuzzy, across the document: ``rapidfuzz.fuzz.ratio`` over *word* sequences (one
   character per word or CJK character; all pairs scored in C by ``process.cdist``),
   plus SECTION_BONUS when the new section is where the old one went. Words, not
   characters: between unrelated clauses of one policy the character ratio is 49 at
   the 99th percentile, the word ratio 31. Pairs at FUZZY_THRESHOLD (SHORT_THRESHOLD
   under SHORT_WORDS words) are taken best first, ranked up by paired neighbours.
3. Repeated keys ("This includes:", "Learn more") pair by context, then fuzzy again.
4. In place, between the same two pairs: runs of unpaired provisions as long on both
   sides pair in order at a lower bar (a clause rewritten where it stood, a date line);
   runs of different lengths pair best first, keeping their order, at GAP_THRESHOLD.
5. Split / merged, only on clear evidence: the joined words of 2..MAX_PARTS consecutive
   provisions, near where they should be, match one provision at SPLIT_THRESHOLD and
   close SPLIT_GAIN of the gap its single pair left to 100.

A pair is *moved* when it falls outside the longest increasing subsequence of paired
positions, or changed section: landed neither where most of its old section went nor
in a new section most of whose provisions came from its old one (renamed headings and
new sub-headings move nothing). Else *unchanged* (same text) or *modified*. Thresholds
were set on tests/data/hand_aligned; bench/lineage.py measures precision and speed.
"""

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from governance.text._sequences import consecutive_runs, longest_increasing
from governance.text.keys import Side, match_key
from governance.text.segment import Segment

__all__ = ["Match", "align", "lineage_assign", "match_key"]

UNCHANGED, MODIFIED, MOVED = "unchanged", "modified", "moved"
ADDED, REMOVED, SPLIT, MERGED = "added", "removed", "split", "merged"
KINDS = (UNCHANGED, MODIFIED, MOVED, ADDED, REMOVED, SPLIT, MERGED)

# Similarities are 0-100 (rapidfuzz ratio); see the module doc for each pass.
FUZZY_THRESHOLD, SHORT_THRESHOLD, SHORT_WORDS, SECTION_BONUS = 50.0, 75.0, 6, 5.0
CONTEXT, CONTEXT_WEIGHT = 3, 2.0  # neighbours looked at on each side; rank per agreement
IN_PLACE_THRESHOLD, GAP_THRESHOLD, GAP_LIMIT = 30.0, 40.0, 12
IN_PLACE_CHARACTERS = 50.0  # above the 99th percentile between unrelated clauses
SPLIT_THRESHOLD, SPLIT_GAIN, MAX_PARTS = 75.0, 0.4, 8
WEAK_PAIR = 97.0  # pairs below this may still turn out to be part of a split / merge
SPLIT_REACH = 30  # provisions searched after an unpaired one's last paired neighbour
DUPLICATE_CHOICES, DUPLICATE_ROUNDS = 6, 4


@dataclass(frozen=True)
class Match:
    """One step of an alignment.

    ``old_index`` / ``new_index`` index the old and new provisions (None for added /
    removed). A split keeps its first new part in ``new_index`` and the other parts in
    ``related`` (new indices); a merge keeps its first old part in ``old_index`` and the
    others in ``related`` (old indices). ``score`` is 100 for identical text, else the
    word similarity (0-100) of the pair (joined parts for splits and merges); 0 for
    added and removed.
    """

    old_index: int | None
    new_index: int | None
    kind: str
    score: float
    related: tuple[int, ...] = ()


class _Aligner:
    def __init__(self, old: Sequence[Segment], new: Sequence[Segment]) -> None:
        vocabulary: dict[str, str] = {}
        self.old, self.new = Side(old, vocabulary), Side(new, vocabulary)
        self.score: dict[int, float] = {}  # old index -> score of its pair
        self.split: dict[int, tuple[int, ...]] = {}  # old index -> other new parts
        self.merged: dict[int, tuple[int, ...]] = {}  # new index -> other old parts

    def run(self) -> list[Match]:
        self.exact(lambda side, k: (side.provisions[k].heading_path, side.provisions[k].text))
        self.exact(lambda side, k: (side.sections[k], side.key(k)))
        self.exact(lambda side, k: side.key(k))
        self.extend()
        self.fuzzy(skip_twins=True)
        self.duplicates()
        self.fuzzy(skip_twins=False)
        self.in_place()
        self.regroup(self.old, self.new)
        self.regroup(self.new, self.old)
        return _matches(self)

    def pair(self, i: int, j: int, score: float) -> None:
        self.old.partner[i], self.new.partner[j] = j, i
        self.score[i] = score

    def similarity(self, i: int, j: int) -> float:
        a, b = self.old.provisions[i], self.new.provisions[j]
        if a.text == b.text and (a.text or a.heading == b.heading):  # empty: its heading
            return 100.0
        return min(99.9, fuzz.ratio(self.old.words(i), self.new.words(j)))

    def groups(self, key: Callable[[Side, int], Hashable]) -> tuple[dict, dict]:
        """Unpaired old and new provisions by ``key``: {key: [index, ...]} each."""
        olds: dict[Hashable, list[int]] = defaultdict(list)
        news: dict[Hashable, list[int]] = defaultdict(list)
        for i in self.old.free():
            olds[key(self.old, i)].append(i)
        for j in self.new.free():
            news[key(self.new, j)].append(j)
        return olds, news

    def exact(self, key: Callable[[Side, int], Hashable]) -> None:
        """Pair provisions whose ``key`` occurs once among the unpaired on each side."""
        olds, news = self.groups(key)
        for value, (i, *more_old) in olds.items():
            found = news.get(value)
            if found is not None and not more_old and len(found) == 1:
                self.pair(i, found[0], self.similarity(i, found[0]))

    def extend(self) -> None:
        """Pair equal keys next to a pair, outwards: repeated lines in unchanged runs."""
        old, new = self.old, self.new
        for step in (1, -1):
            for i in range(old.size) if step == 1 else range(old.size - 1, -1, -1):
                if (j := old.partner[i]) is None:
                    continue
                a, b = i + step, j + step
                while 0 <= a < old.size and 0 <= b < new.size and old.partner[a] is None:
                    if new.partner[b] is not None or old.key(a) != new.key(b):
                        break
                    self.pair(a, b, self.similarity(a, b))
                    a, b = a + step, b + step

    def fuzzy(self, *, skip_twins: bool) -> None:
        """Score every unpaired old provision against every unpaired new one.

        The first time, keys with an exact twin on the other side are left to
        ``duplicates``: against each other they would all score 100.
        """
        olds, news = self.groups(lambda side, k: side.key(k))
        twins = olds.keys() & news.keys() if skip_twins else set()
        free_old = [i for i in self.old.free() if self.old.key(i) not in twins]
        free_new = [j for j in self.new.free() if self.new.key(j) not in twins]
        if not free_old or not free_new:
            return
        scores = process.cdist(
            [self.old.words(i) for i in free_old],
            [self.new.words(j) for j in free_new],
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_THRESHOLD - SECTION_BONUS,
        )
        rows, columns = scores.nonzero()
        found = zip(
            [free_old[r] for r in rows.tolist()],
            [free_new[c] for c in columns.tolist()],
            scores[rows, columns].tolist(),
            strict=True,
        )
        for *_, i, j in sorted(self.weigh(found)):
            if self.old.partner[i] is None and self.new.partner[j] is None:
                self.pair(i, j, self.similarity(i, j))

    def weigh(self, found: Iterable[tuple[int, int, float]]) -> list[tuple[float, float, int, int]]:
        """Sort keys of the fuzzy pairs that reach their threshold, best first: whether
        a pair qualifies depends on its words and section, its rank also on context."""
        went = self.destinations()
        candidates = []
        for i, j, similarity in found:
            section = self.old.sections[i]
            score = similarity + SECTION_BONUS * (
                self.new.sections[j] == went.get(section, section)
            )
            short = min(len(self.old.words(i)), len(self.new.words(j))) < SHORT_WORDS
            if score >= (SHORT_THRESHOLD if short else FUZZY_THRESHOLD):
                rank = score + CONTEXT_WEIGHT * self.context(i, j)
                candidates.append((-rank, self.distance(i, j), i, j))
        return candidates

    def context(self, i: int, j: int) -> int:
        """How many of the CONTEXT provisions on each side of old ``i`` are paired with
        provisions on the same side of new ``j``, as near. An introduction ("This
        includes using our products to:") belongs to what follows: only that counts."""
        agree = 0
        introduction = self.old.key(i).endswith(":")
        for step in range(1, CONTEXT + 1):
            after = self.old.partner[i + step] if i + step < self.old.size else None
            before = self.old.partner[i - step] if i >= step and not introduction else None
            agree += after is not None and j < after <= j + CONTEXT
            agree += before is not None and j - CONTEXT <= before < j
        return agree

    def distance(self, i: int, j: int) -> float:
        """How far apart two provisions sit, as shares of their documents."""
        return abs(i / self.old.size - j / self.new.size)

    def destinations(self, *, backwards: bool = False) -> dict[str, str]:
        """Where most of the paired provisions of each old section went (backwards:
        where most of those of each new section came from); ties to the first seen."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for i, j in enumerate(self.old.partner):
            if j is not None:
                pair = (self.old.sections[i], self.new.sections[j])
                source, target = reversed(pair) if backwards else pair
                counts[source][target] += 1
        return {section: count.most_common(1)[0][0] for section, count in counts.items()}

    def duplicates(self) -> None:
        """Pair repeated equal keys in rounds, best first: most context, then nearest
        relative position; each round's pairs are context for the next. Each old one
        weighs only the DUPLICATE_CHOICES nearest new ones: a line repeated hundreds
        of times costs no more than a few."""
        olds, news = self.groups(lambda side, k: side.key(k))
        shared = [(olds[key], news[key]) for key in olds.keys() & news.keys()]
        for round_ in range(DUPLICATE_ROUNDS, 0, -1):
            candidates = sorted(
                (-self.context(i, j), self.distance(i, j), i, j)
                for old_group, new_group in shared
                for i in old_group
                if self.old.partner[i] is None
                for j in self.nearest(i, new_group)
            )
            with_context = [c for c in candidates if c[0] < 0]
            last = round_ == 1 or not with_context
            for *_, i, j in candidates if last else with_context:
                if self.old.partner[i] is None and self.new.partner[j] is None:
                    self.pair(i, j, self.similarity(i, j))
            if last:
                return

    def nearest(self, i: int, group: list[int]) -> list[int]:
        """The unpaired provisions of ``group`` (new, sorted) nearest old ``i``'s place."""
        free = [j for j in group if self.new.partner[j] is None]
        if len(free) <= DUPLICATE_CHOICES:
            return free
        middle = bisect.bisect_left(free, i * self.new.size / self.old.size)
        start = max(0, min(middle - DUPLICATE_CHOICES // 2, len(free) - DUPLICATE_CHOICES))
        return free[start : start + DUPLICATE_CHOICES]

    def gaps(self) -> Iterator[tuple[range, range]]:
        """Runs of unpaired old provisions, and of unpaired new ones, between the same
        two pairs (or a document's start or end)."""
        old, new = self.old, self.new
        i = 0
        while i < old.size:
            end = i
            while end < old.size and old.partner[end] is None:
                end += 1
            before = old.partner[i - 1] if i else -1
            after = old.partner[end] if end < old.size else new.size
            if end > i and before is not None and after is not None and after > before + 1:
                news = range(before + 1, after)
                if all(new.partner[j] is None for j in news):
                    yield range(i, end), news
            i = end + 1

    def in_place(self) -> None:
        """Pair the unpaired provisions of a gap in order when there are as many on
        both sides, else the best pairs that keep the order (GAP_THRESHOLD)."""
        for olds, news in list(self.gaps()):
            if len(olds) == len(news):
                for i, j in zip(olds, news, strict=True):
                    score = self.similarity(i, j)
                    characters = fuzz.ratio(self.old.key(i), self.new.key(j))
                    if score >= IN_PLACE_THRESHOLD or characters >= IN_PLACE_CHARACTERS:
                        self.pair(i, j, score)
            elif max(len(olds), len(news)) <= GAP_LIMIT:
                self.pair_in_gap(olds, news)

    def pair_in_gap(self, olds: range, news: range) -> None:
        found = sorted((-self.similarity(i, j), i, j) for i in olds for j in news)
        chosen: list[tuple[int, int]] = []
        for negative, i, j in found:
            if -negative < GAP_THRESHOLD:
                break
            if all((a < i) == (b < j) and a != i and b != j for a, b in chosen):
                chosen.append((i, j))
                self.pair(i, j, -negative)

    def pair_score(self, side: Side, index: int) -> float:
        partner = side.partner[index]
        if partner is None:
            return 0.0
        return self.score[index if side is self.old else partner]

    def regroup(self, one: Side, other: Side) -> None:
        """Record splits (``one`` is old) or merges (``one`` is new): provisions of
        ``one`` that became a run of consecutive provisions of ``other``, made of
        unpaired ones and possibly their own partner, found where they should be."""
        found = []
        joined: dict[tuple[int, ...], str] = {}  # windows overlap: join each run once
        for k, window in self.reach(one, other):
            runs = consecutive_runs(
                [j for j in window if other.partner[j] in (None, k)], MAX_PARTS
            )
            choices = [
                joined.get(run) or joined.setdefault(run, "".join(map(other.words, run)))
                for run in runs
            ]
            hits = process.extract(
                one.words(k), choices, scorer=fuzz.ratio, score_cutoff=SPLIT_THRESHOLD, limit=None
            )
            found.extend((-score, k, runs[c]) for _, score, c in hits)
        done: set[int] = set()
        for negative, k, run in sorted(found):
            current = self.pair_score(one, k)
            if k in done or -negative - current < SPLIT_GAIN * (100.0 - current):
                continue
            if all(other.partner[j] in (None, k) for j in run):
                done.add(k)
                if (partner := one.partner[k]) is not None:
                    other.partner[partner] = None
                for j in run:
                    other.partner[j] = k
                one.partner[k] = run[0]
                if one is self.old:
                    self.score[k], self.split[k] = -negative, run[1:]
                else:
                    self.score[run[0]], self.merged[k] = -negative, run[1:]

    def reach(self, one: Side, other: Side) -> Iterator[tuple[int, range]]:
        """Candidates for ``regroup`` (unpaired or weakly paired, not yet grouped) and
        where in ``other`` their parts may be: around their partner, else after the
        partner of their nearest paired predecessor, before that of their successor."""
        previous = [-1] * one.size  # partner of the nearest paired provision before
        last = -1
        for k in range(one.size):
            previous[k] = last
            last = last if one.partner[k] is None else one.partner[k]
        following = other.size
        for k in range(one.size - 1, -1, -1):
            partner = one.partner[k]
            split_part = one is self.new and partner in self.split  # merges come after splits
            # Cheapest test first: most provisions are paired strongly, and their key
            # (a regex pass over the text) is then never needed.
            if split_part or self.pair_score(one, k) >= WEAK_PAIR or one.key(k)[:1] in ("", "\x00"):
                pass
            elif partner is not None:
                yield (
                    k,
                    range(max(0, partner - MAX_PARTS + 1), min(other.size, partner + MAX_PARTS)),
                )
            elif previous[k] < following:
                yield k, range(previous[k] + 1, min(following, previous[k] + 1 + SPLIT_REACH))
            following = following if partner is None else partner


def _matches(a: _Aligner) -> list[Match]:
    """The finished alignment as Matches, in new-document order: a removed provision
    after the new place of the last old provision before it that was kept."""
    moved = _moved(a)
    out: list[tuple[tuple[float, int], Match]] = []
    anchor = -1
    for i, j in enumerate(a.old.partner):
        if j is None:
            out.append(((anchor + 0.5, i), Match(i, None, REMOVED, 0.0)))
        elif a.new.partner[j] == i:  # else a merged part, in its merge's ``related``
            score = a.score[i]
            if i in a.split:
                match = Match(i, j, SPLIT, score, a.split[i])
            elif j in a.merged:
                match = Match(i, j, MERGED, score, a.merged[j])
            else:
                kind = MOVED if i in moved else UNCHANGED if score == 100.0 else MODIFIED
                match = Match(i, j, kind, score)
            out.append(((j, i), match))
            anchor = max(anchor, j)
    out.extend(((j, -1), Match(None, j, ADDED, 0.0)) for j in a.new.free())
    return [match for _, match in sorted(out, key=lambda item: item[0])]


def _moved(a: _Aligner) -> set[int]:
    """Old indices of pairs out of order or that changed section (module doc)."""
    old, new = a.old, a.new
    pairs = [(i, j) for i, j in enumerate(old.partner) if j is not None and new.partner[j] == i]
    in_order = longest_increasing([j for _, j in pairs])
    went, came = a.destinations(), a.destinations(backwards=True)
    moved = set()
    for position, (i, j) in enumerate(pairs):
        before, after = old.sections[i], new.sections[j]
        changed_section = after not in (before, went[before]) and came[after] != before
        if position not in in_order or changed_section:
            moved.add(i)
    return moved


def align(old: Sequence[Segment], new: Sequence[Segment]) -> list[Match]:
    """Every old and new provision exactly once (see ``Match``), in new-document order."""
    return _Aligner(old, new).run()


def lineage_assign(
    previous_lineage_ids: Sequence[str],
    matches: Sequence[Match],
    new_count: int,
    make_id: Callable[[], str],
) -> list[str]:
    """The lineage id of each new provision: its old match's, else a fresh one.

    A split's first part keeps the old id and the other parts get fresh ones; a merge
    keeps the id of its first old part. Fresh ids are made in new-index order.
    """
    inherited: dict[int, str] = {}
    for match in matches:
        if match.new_index is not None and match.old_index is not None:
            inherited[match.new_index] = previous_lineage_ids[match.old_index]
    return [inherited[j] if j in inherited else make_id() for j in range(new_count)]
