"""align / lineage_assign: properties, hand-made cases, real corpus pairs."""

import itertools
import json
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.lineage import HAND_ALIGNED, TARGET_PRECISION, hand_aligned_score
from governance.text import Segment, normalise, segment
from governance.text.align import (
    ADDED,
    KINDS,
    MERGED,
    MODIFIED,
    MOVED,
    REMOVED,
    SPLIT,
    UNCHANGED,
    Match,
    align,
    lineage_assign,
    match_key,
)
from tests.conftest import corpus_path_or_skip

from .helpers import PROPERTY

CLAUSES = [
    "We collect your name and email address when you create an account.",
    "We use cookies to remember your preferences and to measure traffic.",
    "You may request deletion of your personal data at any time.",
    "We retain chat logs for thirty days unless the law requires longer.",
    "We do not sell your personal information to third parties.",
    "Payments are processed by our payment provider under its own terms.",
    "You must be at least thirteen years old to use the Services.",
    "We may suspend accounts that violate the Usage Policy.",
    "Disputes are resolved by binding arbitration in San Francisco.",
    "These Terms are governed by the laws of the State of California.",
    "We may update these Terms and will notify you of material changes.",
    "Our models may produce inaccurate output; check important facts.",
    "This includes using our products or services to:",
    "Learn more.",
    "",
]


def seg(text: str, *path: str) -> Segment:
    return Segment(tuple(path), text)


def coverage(matches: Sequence[Match]) -> tuple[Counter[int], Counter[int]]:
    """How often each old and each new index appears in ``matches``."""
    olds: Counter[int] = Counter()
    news: Counter[int] = Counter()
    for match in matches:
        if match.old_index is not None:
            olds[match.old_index] += 1
        if match.new_index is not None:
            news[match.new_index] += 1
        related = olds if match.kind == MERGED else news
        related.update(match.related)
    return olds, news


def assert_covers(matches: Sequence[Match], old_count: int, new_count: int) -> None:
    olds, news = coverage(matches)
    assert olds == Counter(range(old_count))
    assert news == Counter(range(new_count))
    for match in matches:
        assert match.kind in KINDS
        assert 0.0 <= match.score <= 100.0
        assert bool(match.related) == (match.kind in (SPLIT, MERGED))


def pairs(matches: Sequence[Match]) -> dict[int | None, tuple[int | None, str]]:
    """old index -> (new index, kind); added ones under None are left out."""
    return {m.old_index: (m.new_index, m.kind) for m in matches if m.old_index is not None}


def kinds(matches: Sequence[Match]) -> Counter[str]:
    return Counter(match.kind for match in matches)


# --- properties ----------------------------------------------------------------------

SECTIONS = st.lists(
    st.tuples(st.sampled_from(["Data", "Rights", "Terms", "1. Scope"]), st.sampled_from(CLAUSES)),
    max_size=25,
).map(lambda items: [seg(text, heading) for heading, text in items])


def edited(provisions: list[Segment], data: st.DataObject) -> list[Segment]:
    """Some provisions dropped, some edited by a word, new ones inserted, some moved."""
    out = [p for p in provisions if data.draw(st.booleans()) or data.draw(st.booleans())]
    for index in data.draw(st.lists(st.integers(0, max(len(out) - 1, 0)), max_size=3)):
        if index < len(out):
            words = out[index].text.split()
            out[index] = seg(" ".join([*words, "promptly"]), *out[index].heading_path)
    for text in data.draw(st.lists(st.sampled_from(CLAUSES), max_size=3)):
        out.insert(data.draw(st.integers(0, len(out))), seg(text, "New"))
    return data.draw(st.permutations(out)) if data.draw(st.booleans()) else out


@PROPERTY
@given(SECTIONS, st.data())
def test_every_index_is_covered_exactly_once(old: list[Segment], data: st.DataObject) -> None:
    new = edited(old, data)
    matches = align(old, new)
    assert_covers(matches, len(old), len(new))
    assert matches == align(old, new)  # deterministic


@PROPERTY
@given(SECTIONS)
def test_identical_versions_are_all_unchanged(provisions: list[Segment]) -> None:
    matches = align(provisions, list(provisions))
    assert [(m.old_index, m.new_index, m.kind) for m in matches] == [
        (k, k, UNCHANGED) for k in range(len(provisions))
    ]


@PROPERTY
@given(st.permutations(range(5)), st.integers(1, 4))
def test_permuted_sections_move_and_lose_nothing(order: list[int], size: int) -> None:
    sections = [
        [seg(f"Clause {s}.{k}: {CLAUSES[(s * 3 + k) % 12]}", f"Section {s}") for k in range(size)]
        for s in range(5)
    ]
    old = [p for section in sections for p in section]
    new = [p for s in order for p in sections[s]]
    matches = align(old, new)
    assert not kinds(matches).keys() & {ADDED, REMOVED, SPLIT, MERGED}
    for match in matches:
        assert old[match.old_index] == new[match.new_index]
    assert (MOVED in kinds(matches)) == (list(order) != sorted(order))


@PROPERTY
@given(SECTIONS, st.data())
def test_lineage_ids_follow_matches(old: list[Segment], data: st.DataObject) -> None:
    new = edited(old, data)
    matches = align(old, new)
    counter = itertools.count()
    old_ids = [f"old-{k}" for k in range(len(old))]
    ids = lineage_assign(old_ids, matches, len(new), lambda: f"fresh-{next(counter)}")
    assert len(ids) == len(new) == len(set(ids))  # a split's other parts get fresh ids
    for match in matches:
        if match.new_index is None:
            continue
        if match.old_index is None:
            assert ids[match.new_index].startswith("fresh-")
        else:
            assert ids[match.new_index] == old_ids[match.old_index]
        if match.kind == SPLIT:
            assert all(ids[j].startswith("fresh-") for j in match.related)


# --- hand-made cases -----------------------------------------------------------------


def test_reordered_sections_keep_their_clauses() -> None:
    a = [seg(CLAUSES[0], "Collection"), seg(CLAUSES[1], "Collection")]
    b = [seg(CLAUSES[2], "Rights"), seg(CLAUSES[3], "Rights")]
    c = [seg(CLAUSES[4], "Sharing"), seg(CLAUSES[5], "Sharing")]
    matches = align([*a, *b, *c], [*c, *a, *b])
    assert pairs(matches) == {
        0: (2, UNCHANGED), 1: (3, UNCHANGED), 2: (4, UNCHANGED), 3: (5, UNCHANGED),
        4: (0, MOVED), 5: (1, MOVED),
    }  # fmt: skip


def test_clause_moved_to_another_section() -> None:
    old = [seg(CLAUSES[0], "Data"), seg(CLAUSES[1], "Data"), seg(CLAUSES[2], "Rights")]
    new = [seg(CLAUSES[0], "Data"), seg(CLAUSES[2], "Rights"), seg(CLAUSES[1], "Rights")]
    assert pairs(align(old, new)) == {0: (0, UNCHANGED), 1: (2, MOVED), 2: (1, UNCHANGED)}


def test_a_clause_split_in_two() -> None:
    whole = "We retain chat logs for thirty days. After that we delete them unless the law requires us to keep them longer."  # noqa: E501
    old = [seg(CLAUSES[0]), seg(whole), seg(CLAUSES[4])]
    new = [
        seg(CLAUSES[0]),
        seg("We retain chat logs for thirty days."),
        seg("After that we delete them unless the law requires us to keep them longer."),
        seg(CLAUSES[4]),
    ]
    matches = align(old, new)
    assert Match(1, 1, SPLIT, matches[1].score, (2,)) in matches
    assert_covers(matches, 3, 4)
    ids = lineage_assign(["a", "b", "c"], matches, 4, iter(["x"]).__next__)
    assert ids == ["a", "b", "x", "c"]


def test_two_clauses_merged() -> None:
    old = [
        seg("You may request access to your personal data."),
        seg("You may request deletion of your personal data at any time."),
        seg(CLAUSES[4]),
    ]
    new = [
        seg(
            "You may request access to your personal data. You may request deletion of "
            "your personal data at any time."
        ),
        seg(CLAUSES[4]),
    ]
    matches = align(old, new)
    assert matches[0].kind == MERGED
    assert (matches[0].old_index, matches[0].new_index, matches[0].related) == (0, 0, (1,))
    assert lineage_assign(["a", "b", "c"], matches, 2, iter([]).__next__) == ["a", "c"]


def test_renumbered_headings_and_items_move_nothing() -> None:
    old = [
        seg("1. We collect your name.", "1. Collection"),
        seg("2. We collect your email.", "1. Collection"),
        seg(CLAUSES[2], "2. Your rights"),
    ]
    new = [
        seg(CLAUSES[7], "1. Eligibility"),
        seg("1. We collect your name.", "2. Collection"),
        seg("2. We collect your email.", "2. Collection"),
        seg(CLAUSES[2], "3. Your rights and choices"),
    ]
    assert pairs(align(old, new)) == {0: (1, UNCHANGED), 1: (2, UNCHANGED), 2: (3, UNCHANGED)}
    renumbered = [seg("(b) We collect your name."), seg("(c) We collect your email.")]
    matches = align(old[:2], renumbered)
    assert [(m.new_index, m.kind) for m in matches] == [(0, MODIFIED), (1, MODIFIED)]
    assert match_key("A.1. **Overview.** Text") == match_key("1. **Overview.** Text")


def test_light_edit_is_modified_with_its_score() -> None:
    old = [seg(CLAUSES[3]), seg(CLAUSES[4])]
    new = [seg(CLAUSES[3].replace("thirty", "ninety")), seg(CLAUSES[4])]
    matches = align(old, new)
    assert matches[0].kind == MODIFIED and 80 < matches[0].score < 100
    assert matches[1] == Match(1, 1, UNCHANGED, 100.0)


def test_rewritten_in_place_and_added_and_removed() -> None:
    old = [seg(CLAUSES[0]), seg("Effective: July 10, 2025"), seg(CLAUSES[5]), seg(CLAUSES[6])]
    new = [
        seg(CLAUSES[0]),
        seg("Effective: April 4, 2026 (previous version)"),
        seg(CLAUSES[9]),
        seg(CLAUSES[6]),
    ]
    matches = align(old, new)
    assert pairs(matches)[1] == (1, MODIFIED)  # in place, though it shares one word in four
    assert Match(2, None, REMOVED, 0.0) in matches
    assert Match(None, 2, ADDED, 0.0) in matches
    assert [m.new_index for m in matches if m.new_index is not None] == [0, 1, 2, 3]


def test_repeated_introductions_stay_with_their_lists() -> None:
    intro = "This includes using our products or services to:"
    children = [seg(intro), seg("* Create child sexual abuse material"), seg("* Groom minors")]
    weapons = [seg(intro), seg("* Design weapons of mass destruction"), seg("* Acquire explosives")]
    matches = align([*children, *weapons], [*weapons, *children])
    assert {m.old_index: m.new_index for m in matches} == {0: 3, 1: 4, 2: 5, 3: 0, 4: 1, 5: 2}


def test_empty_sections_pair_by_heading_and_chinese_text() -> None:
    old = [seg("", "第一条 总则"), seg("用户应当遵守本协议的全部条款。", "第二条 使用规则")]
    new = [
        seg("", "第一条 总则"),
        seg("用户应当遵守本协议及相关规则的全部条款。", "第二条 使用规则"),
    ]
    matches = align(old, new)
    assert [(m.old_index, m.new_index, m.kind) for m in matches] == [
        (0, 0, UNCHANGED),
        (1, 1, MODIFIED),
    ]


def test_empty_versions() -> None:
    assert align([], []) == []
    assert align([seg(CLAUSES[0])], []) == [Match(0, None, REMOVED, 0.0)]
    assert align([], [seg(CLAUSES[0])]) == [Match(None, 0, ADDED, 0.0)]


# --- the corpus ----------------------------------------------------------------------


def versions(service: str, kind: str, since: str = "") -> list[list[Segment]]:
    """The provisions of each version of a corpus document recorded at ``since`` or later."""
    root = corpus_path_or_skip()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    (document,) = [
        d for d in manifest if d["service"] == service and d["document_type_slug"] == kind
    ]
    return [
        segment(normalise((root / v["file"]).read_text(encoding="utf-8")))
        for v in document["versions"]
        if v["recorded_at"] >= since
    ]


def lineage_of(history: list[list[Segment]], start: str) -> list[list[str]]:
    """Per version, the texts that carry the lineage of the first version's provision
    starting with ``start``."""
    counter = itertools.count()
    first = history[0]
    ids = [f"L{next(counter)}" for _ in first]
    tracked = ids[next(k for k, p in enumerate(first) if p.text.startswith(start))]
    out = [[p.text for p, i in zip(first, ids, strict=True) if i == tracked]]
    for old, new in itertools.pairwise(history):
        ids = lineage_assign(ids, align(old, new), len(new), lambda: f"L{next(counter)}")
        out.append([p.text for p, i in zip(new, ids, strict=True) if i == tracked])
    return out


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("service", "kind", "start", "last"),
    [
        # The August 2025 training change: the clause turns around and keeps its lineage.
        ("claude-ai", "privacy-policy", "We will not use your Inputs or Outputs", "We may use"),
        # Through 26 versions, the switch to the Europe terms and "Age" -> "age".
        ("chatgpt", "terms-of-service", "**Minimum Age.**", "**Minimum age**"),
        # Renumbered "3\." -> "4\." when a new item 3 came in (Baidu, Chinese).
        ("wenxinyiyan", "terms-of-service", "3\\. 为了方便您在百度产品中", "4\\. 为了方便"),
    ],
)
def test_named_clauses_keep_their_lineage_through_history(
    service: str, kind: str, start: str, last: str
) -> None:
    for texts in lineage_of(versions(service, kind), start):
        assert len(texts) == 1
    assert texts[0].startswith(last)


@pytest.mark.corpus
def test_corpus_split_move_and_renumbering() -> None:
    old, new, *_ = versions("claude-ai", "commercial-terms", "2025-12-10")  # "1." -> "A.1."
    matches = align(old, new)
    split = next(m for m in matches if old[m.old_index or 0].text.startswith("2. **Termination"))
    assert split.kind == SPLIT
    parts = [new[j].text[:7] for j in (split.new_index, *split.related)]
    assert parts == ["I.2. **", "I.2.a. ", "I.2.b. ", "I.2.c. "]
    assert kinds(matches)[MOVED] == 0

    old, new, *_ = versions("xai", "privacy-policy", "2024-11-04")  # headings introduced
    moved = [new[m.new_index].text[:20] for m in align(old, new) if m.kind == MOVED]
    assert moved == ["* _User Content:_ We", "* _Feedback Data:_ W"]  # into the new 2.2


@pytest.mark.corpus
def test_hand_aligned_precision() -> None:
    score, pairs_evaluated = hand_aligned_score(corpus_path_or_skip(), HAND_ALIGNED)
    assert pairs_evaluated >= 10
    assert score.expected >= 20 * pairs_evaluated * 0.9
    assert score.precision >= TARGET_PRECISION, score.errors
