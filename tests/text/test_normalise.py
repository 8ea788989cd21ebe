# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

import hashlib
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.text import normalise, text_sha256
from governance.text.normalise import INVISIBLE, SPACE_SEPARATORS

from .helpers import PROPERTY, non_whitespace

# Characters normalise() treats specially, mixed into arbitrary text so that
# hypothesis meets them often: line breaks of every kind, Unicode spaces, invisible
# characters, tabs, combining marks (NFC), Markdown indentation.
SPECIAL = [
    "\r\n", "\r", "\n", "\n\n\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
    " ", "  ", "\t", "\u00a0", "\u2000", "\u2001", "\u202f", "\u3000",
    "\u200b", "\ufeff", "\u00ad", "\u2060", "\u200d",
    "e", "\u0301", "\u0327", "\u0308", "A\u030a", "\u1100\u1161", "\u11a8",
    "- ", "1. ", "    ", "#", "中文", "é",
]  # fmt: skip
TEXTS = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=8)), max_size=40).map("".join)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   \n\t\n", ""),
        ("Terms", "Terms\n"),
        ("Terms\r\nof\rService\r\n", "Terms\nof\nService\n"),
        ("Terms\u00a0of\u202fService", "Terms of Service\n"),
        ("ideographic\u3000space", "ideographic space\n"),
        ("zero\u200bwidth\ufeff and soft\u00adhyphen", "zerowidth and softhyphen\n"),
        ("trailing   \nspaces\t\n", "trailing\nspaces\n"),
        ("a  lot   of\t\tspace", "a lot of space\n"),
        ("\n\n\nfirst\n\n\n\n\nsecond\n\n\n", "first\n\nsecond\n"),
        ("- item\n  - nested  item\n    code", "- item\n  - nested item\n    code\n"),
        ("e\u0301 A\u030a", "\u00e9 \u00c5\n"),
        # the zero-width space goes before NFC, so the accent then composes
        ("e\u200b\u0301", "\u00e9\n"),
        ("emoji\u200dkeeps ZWJ", "emoji\u200dkeeps ZWJ\n"),
        ("line\u2028separator", "line\nseparator\n"),
    ],
)
def test_normalise_examples(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_space_separators_are_exactly_unicode_zs_but_ascii_space() -> None:
    zs = {
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Zs"
    }
    assert set(SPACE_SEPARATORS) == zs - {" "}


def test_realistic_policy_text() -> None:
    raw = (
        "\ufeffPrivacy Policy\r\n==============\r\n\r\n"
        "Effective\u00a0July 8, 2026   \r\n\r\n\r\n\r\n"
        "*   Identity and Contact Data:  Anthropic collects identifiers.\r\n"
        "更新日期：2022年4月26日  \r\n"
    )
    assert normalise(raw) == (
        "Privacy Policy\n==============\n\n"
        "Effective July 8, 2026\n\n"
        "* Identity and Contact Data: Anthropic collects identifiers.\n"
        "更新日期：2022年4月26日\n"
    )


@PROPERTY
@given(TEXTS)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@PROPERTY
@given(TEXTS)
def test_normalise_output_shape(text: str) -> None:
    result = normalise(text)
    assert result == "" or (result.endswith("\n") and not result.endswith("\n\n"))
    assert not result.startswith("\n")
    assert "\r" not in result
    assert "\n\n\n" not in result
    assert not set(SPACE_SEPARATORS + INVISIBLE) & set(result)
    assert unicodedata.is_normalized("NFC", result)
    for line in result.split("\n"):
        assert line == line.rstrip(" \t")
        content = line.lstrip(" \t")
        assert "  " not in content
        assert "\t" not in content


@PROPERTY
@given(TEXTS)
def test_normalise_changes_only_whitespace_and_invisibles(text: str) -> None:
    reference = unicodedata.normalize("NFC", text.translate({ord(c): None for c in INVISIBLE}))
    assert non_whitespace(normalise(text)) == non_whitespace(reference)


def test_text_sha256_is_sha256_of_utf8() -> None:
    assert text_sha256("") == hashlib.sha256(b"").hexdigest()
    assert text_sha256("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert text_sha256("生效日期") == hashlib.sha256("生效日期".encode()).hexdigest()
