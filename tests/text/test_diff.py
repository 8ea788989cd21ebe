"""word_diff / unified_text_diff: nothing lost, deterministic, readable, fast."""

import itertools
import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.text import Segment, align, lineage_assign
from governance.text.diff import (
    DELETE,
    EQUAL,
    INSERT,
    ProvisionChange,
    provision_changes,
    tokens,
    unified_text_diff,
    word_diff,
)

from .helpers import PROPERTY

WORDS = ["we", "may", "share", "your", "data", "with", "partners", "the", " ", "  ", "\n", ",", "."]
TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from([*WORDS, "数据", "不", "会", "é", "\u200d", "\t"]), max_size=40).map(
        "".join
    ),
)


def sides(chunks: list[tuple[str, str]]) -> tuple[str, str]:
    old = "".join(text for op, text in chunks if op != INSERT)
    new = "".join(text for op, text in chunks if op != DELETE)
    return old, new


def assert_well_formed(chunks: list[tuple[str, str]]) -> None:
    assert all(text for _, text in chunks)
    for (op, _), (next_op, _) in itertools.pairwise(chunks):
        assert op != next_op
        assert (op, next_op) != (INSERT, DELETE)  # within a change: delete, then insert


@PROPERTY
@given(TEXTS, TEXTS, st.sampled_from(["en", "zh", "ja", "fr", "zh-hans"]))
def test_chunks_rebuild_both_texts(old: str, new: str, language: str) -> None:
    chunks = word_diff(old, new, language=language)
    assert sides(chunks) == (old, new)
    assert_well_formed(chunks)
    assert chunks == word_diff(old, new, language=language)


@PROPERTY
@given(TEXTS, st.sampled_from(["en", "zh"]))
def test_tokens_lose_nothing_and_identical_texts_are_one_equal_chunk(
    text: str, language: str
) -> None:
    assert "".join(tokens(text, language=language)) == text
    assert word_diff(text, text, language=language) == ([(EQUAL, text)] if text else [])


def test_word_level_changes() -> None:
    assert word_diff(
        "We may share your data with our partners.",
        "We will share your personal data with partners and affiliates.",
    ) == [
        (EQUAL, "We"),
        (DELETE, " may"),
        (INSERT, " will"),
        (EQUAL, " share your"),
        (INSERT, " personal"),
        (EQUAL, " data with"),
        (DELETE, " our"),
        (EQUAL, " partners"),
        (INSERT, " and affiliates"),
        (EQUAL, "."),
    ]


def test_numbers_and_punctuation_are_their_own_tokens() -> None:
    assert word_diff("retain for 30 days.", "retain for 90 days;") == [
        (EQUAL, "retain for"),
        (DELETE, " 30"),
        (INSERT, " 90"),
        (EQUAL, " days"),
        (DELETE, "."),
        (INSERT, ";"),
    ]


def test_unrelated_rewrite_is_one_replacement_not_chaff() -> None:
    chunks = word_diff("We collect your name.", "You can delete your account at any time.")
    assert chunks == [
        (DELETE, "We collect your name"),
        (INSERT, "You can delete your account at any time"),
        (EQUAL, "."),
    ]


def test_chinese_is_diffed_by_character() -> None:
    chunks = word_diff("本协议由您与百度签订。", "本协议由您与百度公司共同签订。", language="zh")
    assert chunks == [(EQUAL, "本协议由您与百度"), (INSERT, "公司共同"), (EQUAL, "签订。")]
    # CJK characters are single tokens even when the language is unknown
    assert tokens("用户AI服务 ok", language="und") == ["用", "户", "AI", "服", "务", " ok"]


def test_empty_sides() -> None:
    assert word_diff("", "") == []
    assert word_diff("", "New clause.") == [(INSERT, "New clause.")]
    assert word_diff("Old clause.", "") == [(DELETE, "Old clause.")]


def test_long_provision_is_fast() -> None:
    """10,000 words, every tenth changed: quadratic pure Python would take minutes."""
    rng = random.Random(0)
    vocabulary = ["the", "data", "we", "may", "share", "your", "with", "partners", "and", "of"]
    words = [rng.choice(vocabulary) for _ in range(10_000)]
    changed = [w if k % 10 else "changed" for k, w in enumerate(words)]
    start = time.perf_counter()
    chunks = word_diff(" ".join(words), " ".join(changed))
    assert time.perf_counter() - start < 2.0
    assert sides(chunks) == (" ".join(words), " ".join(changed))


def test_a_small_change_in_a_long_provision_is_cut_to_its_words() -> None:
    text = " ".join(f"word{k}" for k in range(20_000))
    changed = text.replace(" word10000 ", " changed ")
    start = time.perf_counter()
    chunks = word_diff(text, changed)
    assert time.perf_counter() - start < 0.05
    assert [op for op, _ in chunks] == [EQUAL, DELETE, INSERT, EQUAL]
    assert chunks[1:3] == [(DELETE, " word10000"), (INSERT, " changed")]


def test_provision_changes() -> None:
    old = [
        Segment(("1. Data",), "We keep chat logs for 30 days."),
        Segment(("1. Data",), "We never sell data. We never share data with advertisers."),
        Segment(("2. Rights",), "You may ask for a copy."),
    ]
    new = [
        Segment(("1. Data",), "We keep chat logs for 90 days."),
        Segment(("1. Data",), "We never sell data."),
        Segment(("1. Data",), "We never share data with advertisers."),
        Segment(("3. Contact",), "Write to privacy@example.com."),
    ]
    matches = align(old, new)
    new_ids = lineage_assign(["a", "b", "c"], matches, 4, iter(["x", "y"]).__next__)
    changes = provision_changes(old, new, matches, ["a", "b", "c"], new_ids)
    assert [(c.kind, c.lineage_id, c.old_index, c.new_index) for c in changes] == [
        ("modified", "a", 0, 0),
        ("split", "b", 1, 1),
        ("removed", "c", 2, None),
        ("added", "y", None, 3),
    ]
    assert changes[0].diff == [
        (EQUAL, "We keep chat logs for"),
        (DELETE, " 30"),
        (INSERT, " 90"),
        (EQUAL, " days."),
    ]
    assert changes[1].related == (2,)
    assert sides(changes[1].diff) == (old[1].text, f"{new[1].text}\n\n{new[2].text}")
    assert changes[2] == ProvisionChange("removed", "c", 2, None, ("2. Rights",), None, (), [])
    assert changes[3].heading_path_after == ("3. Contact",)


def test_unified_text_diff() -> None:
    old = "# Terms\n\nWe may share your data.\n\nContact us.\n"
    new = "# Terms\n\nWe will not share your data.\n\nContact us.\n"
    assert unified_text_diff(old, new, old_name="2024-01-01", new_name="2024-02-01") == (
        "--- 2024-01-01\n+++ 2024-02-01\n@@ -1,5 +1,5 @@\n # Terms\n \n"
        "-We may share your data.\n+We will not share your data.\n \n Contact us.\n"
    )
    assert unified_text_diff(old, old) == ""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_whitespace_only_changes_are_kept(language: str) -> None:
    chunks = word_diff("a b\nc", "a  b c", language=language)
    assert sides(chunks) == ("a b\nc", "a  b c")
    assert any(op != EQUAL for op, _ in chunks)
