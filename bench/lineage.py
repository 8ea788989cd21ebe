"""Clause lineage and redlines over the corpus: how much aligns, how right, how fast.

Run with ``.venv/bin/python bench/lineage.py`` (only the corpus is needed: CORPUS_DIR,
else ../shared/corpus; no Django, no database). For every pair of consecutive
versions of every corpus document it reports

- the share of provisions matched: paired provisions (unchanged, modified, moved and
  every part of a split or merge) over the larger of the two versions' counts,
  averaged over the pairs;
- precision (and recall) of ``align`` against the hand-aligned pairs in
  tests/data/hand_aligned: of the sampled provisions the algorithm linked, the share
  linked to exactly the provisions the hand alignment names;
- the time per version pair of ``align``, ``lineage_assign`` and ``provision_changes``
  (the word diff of every paired provision whose text changed): median, p95, max, each
  pair timed as the best of ``--repeat`` runs because the machine is shared; and the
  peak memory of the process.

Exits 1 when a target is not met, 2 when the corpus is absent.
"""

import argparse
import itertools
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from governance.text import detect_language, normalise, segment  # noqa: E402
from governance.text.align import MERGED, SPLIT, Match, align, lineage_assign  # noqa: E402
from governance.text.diff import provision_changes  # noqa: E402
from governance.text.segment import Segment  # noqa: E402

HAND_ALIGNED = ROOT / "tests" / "data" / "hand_aligned"
TARGET_PRECISION = 0.95
TARGET_MEDIAN_MS = 20.0
TARGET_MAX_MS = 200.0


def corpus_root() -> Path:
    return Path(os.environ.get("CORPUS_DIR", str(ROOT.parent / "shared" / "corpus")))


def provisions(path: Path) -> list[Segment]:
    return segment(normalise(path.read_text(encoding="utf-8")))


def consecutive_pairs(root: Path) -> Iterator[tuple[str, str]]:
    """(old file, new file) relative to ``root``, for every document, in order."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    for document in manifest:
        files = [version["file"] for version in document["versions"]]
        yield from itertools.pairwise(files)


def links(matches: Sequence[Match]) -> tuple[dict[int, frozenset[int]], dict[int, int]]:
    """old index -> the new indices it went to; new index -> its (first) old index."""
    forward: dict[int, frozenset[int]] = {}
    backward: dict[int, int] = {}
    for match in matches:
        if match.old_index is None:
            continue
        if match.new_index is None:
            forward[match.old_index] = frozenset()
            continue
        news = {match.new_index, *(match.related if match.kind == SPLIT else ())}
        olds = [match.old_index, *(match.related if match.kind == MERGED else ())]
        for old in olds:
            forward[old] = frozenset(news)
        for new in news:
            backward[new] = match.old_index
    return forward, backward


def matched_share(matches: Sequence[Match], old_count: int, new_count: int) -> float:
    paired = sum(
        1 + len(match.related)
        for match in matches
        if match.old_index is not None and match.new_index is not None
    )
    return paired / max(old_count, new_count, 1)


# --- hand-aligned pairs --------------------------------------------------------------


@dataclass
class Score:
    predicted: int = 0  # sampled links the algorithm made
    correct: int = 0  # ... that the hand alignment agrees with
    expected: int = 0  # links the hand alignment makes
    found: int = 0  # ... that the algorithm made too
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def resolve(items: Sequence[Segment], index: int, prefix: str, where: str) -> int:
    """The index of the provision starting with ``prefix``, nearest to ``index``.

    The hand alignment names provisions by index and by the start of their text, so
    that a change to segmentation shows up here instead of silently shifting labels.
    """

    def starts(k: int) -> bool:
        return " ".join(items[k].text.split()).startswith(" ".join(prefix.split()))

    if 0 <= index < len(items) and starts(index):
        return index
    found = [k for k in range(len(items)) if starts(k)]
    if not found:
        raise ValueError(f"{where}: no provision starts with {prefix!r}; relabel the pair")
    return min(found, key=lambda k: abs(k - index))


def hand_aligned_score(
    root: Path, data_dir: Path = HAND_ALIGNED, *, held_out: bool | None = None
) -> tuple[Score, int]:
    """Precision and recall of ``align`` over the hand-aligned pairs, and their count.

    ``held_out``: only the pairs labelled after the thresholds were set (True), only
    the others (False), or all (None).
    """
    score, pairs = Score(), 0
    for path in sorted(data_dir.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if held_out is not None and case.get("held_out", False) != held_out:
            continue
        old, new = provisions(root / case["old"]), provisions(root / case["new"])
        forward, backward = links(align(old, new))
        for label in case["links"]:
            _score_label(score, label, old, new, forward, backward, path.name)
        pairs += 1
    return score, pairs


def _score_label(
    score: Score,
    label: dict,
    old: Sequence[Segment],
    new: Sequence[Segment],
    forward: dict[int, frozenset[int]],
    backward: dict[int, int],
    where: str,
) -> None:
    """One label: {"old": [index, text start] or null, "new": [[index, text start], ...]}."""
    expected = frozenset(resolve(new, n, start, where) for n, start in label["new"])
    if label["old"] is None:  # an addition: any link the algorithm makes to it is wrong
        (n,) = expected
        if n in backward:
            score.predicted += 1
            score.errors.append(f"{where}: new {n} is added, align linked old {backward[n]}")
        return
    o = resolve(old, *label["old"], where)
    got = forward.get(o, frozenset())
    if got:
        score.predicted += 1
        score.correct += got == expected
    if expected:
        score.expected += 1
        score.found += got == expected
    if got != expected:
        score.errors.append(f"{where}: old {o} -> expected {sorted(expected)}, got {sorted(got)}")


# --- the corpus ----------------------------------------------------------------------


@dataclass
class PairRun:
    milliseconds: float
    share: float
    pair: tuple[str, str]


def run_pair(
    old: list[Segment], new: list[Segment], language: str, repeat: int
) -> tuple[float, float]:
    """Best time (ms) over ``repeat`` runs of what a new version costs: align, lineage
    ids, the provision changes with their word diffs; and the matched share."""
    old_ids = [f"old-{k}" for k in range(len(old))]
    best = float("inf")
    for _ in range(repeat):
        fresh = map("new-{}".format, itertools.count()).__next__
        start = time.perf_counter()
        matches = align(old, new)
        new_ids = lineage_assign(old_ids, matches, len(new), fresh)
        provision_changes(old, new, matches, old_ids, new_ids, language=language)
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, matched_share(matches, len(old), len(new))


def corpus_runs(root: Path, repeat: int) -> list[PairRun]:
    runs, cache = [], {}
    for old_file, new_file in consecutive_pairs(root):
        for name in (old_file, new_file):
            if name not in cache:
                text = normalise((root / name).read_text(encoding="utf-8"))
                cache[name] = (segment(text), detect_language(text))
        (old, _), (new, language) = cache[old_file], cache[new_file]
        cache.pop(old_file)  # each version is the old side of one pair only
        milliseconds, share = run_pair(old, new, language, repeat)
        runs.append(PairRun(milliseconds, share, (old_file, new_file)))
    return runs


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def report(root: Path, repeat: int) -> bool:
    before_mb = _rss_mb()
    runs = corpus_runs(root, repeat)
    times = sorted(run.milliseconds for run in runs)
    score, hand_pairs = hand_aligned_score(root)
    slowest = max(runs, key=lambda run: run.milliseconds)
    peak_mb = _rss_mb()
    median, worst = statistics.median(times), times[-1]
    print(f"pairs evaluated: {len(runs)} consecutive version pairs")
    print(f"provisions matched: {statistics.mean(run.share for run in runs):.1%} on average")
    print(
        f"hand-aligned: {hand_pairs} pairs, {score.predicted} links made, "
        f"precision {score.precision:.1%}, recall {score.recall:.1%} "
        f"({score.expected} expected links)"
    )
    held, held_pairs = hand_aligned_score(root, held_out=True)
    print(
        f"  of which held out (labelled after tuning): {held_pairs} pairs, "
        f"precision {held.precision:.1%}, recall {held.recall:.1%}"
    )
    for error in score.errors:
        print(f"  disagrees: {error}")
    print(
        f"align + lineage + word diffs per pair (best of {repeat}): median {median:.1f} ms, "
        f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms, max {worst:.1f} ms "
        f"({slowest.pair[1]})"
    )
    print(f"peak memory (ru_maxrss): {peak_mb:.0f} MB, {before_mb:.0f} MB before the runs")
    checks = [
        (f"precision >= {TARGET_PRECISION:.0%}", score.precision >= TARGET_PRECISION),
        ("hand-aligned pairs >= 10", hand_pairs >= 10),
        (f"median < {TARGET_MEDIAN_MS:.0f} ms", median < TARGET_MEDIAN_MS),
        (f"max < {TARGET_MAX_MS:.0f} ms", worst < TARGET_MAX_MS),
    ]
    for name, met in checks:
        print(f"target {'met' if met else 'not met'}: {name}")
    return all(met for _, met in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair, best kept")
    args = parser.parse_args()
    root = corpus_root()
    if not (root / "manifest.json").is_file():
        print(f"corpus not found at {root} (set CORPUS_DIR)", file=sys.stderr)
        return 2
    return 0 if report(root, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
