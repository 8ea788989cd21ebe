"""Shared by the text pipeline tests: hypothesis settings, the corpus, a no-loss check."""

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Reproducible (fixed seed), no deadline on a busy machine, no example database
# written into the work tree.
PROPERTY = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters segment() may drop: heading markers, emphasis, setext underlines,
# thematic breaks and backslash escapes in headings.
MARKUP = frozenset("#*_=-\\")

_WHITESPACE_AND_MARKUP = re.compile(r"[\s#*_=\-\\]+")


def non_whitespace(text: str) -> str:
    return "".join(char for char in text if not char.isspace())


def without_markup(text: str) -> str:
    """Fast (C) form of the no-loss comparison, for large inputs such as the corpus."""
    return _WHITESPACE_AND_MARKUP.sub("", text)


def lost_characters(source: str, produced: str) -> str:
    """ "" if ``produced`` is ``source`` less whitespace and some MARKUP characters, in order.

    Otherwise, a description of the first difference. Greedy matching is exact here:
    taking the earliest equal character is never worse than skipping it.
    """
    expected, got = non_whitespace(source), non_whitespace(produced)
    position = 0
    for index, char in enumerate(expected):
        if position < len(got) and got[position] == char:
            position += 1
        elif char not in MARKUP:
            return f"{char!r} at non-whitespace index {index} of the input is missing"
    if position != len(got):
        return f"output has extra text from {got[position : position + 20]!r}"
    return ""


def corpus_dir() -> Path:
    """The shared corpus (CORPUS_DIR, else ../shared/corpus); skip when absent.

    As in tests/conftest.py: under CI=true a missing corpus is a failure, not a skip.
    Located without Django so these tests also run with ``-p no:django``.
    """
    default = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    path = Path(os.environ.get("CORPUS_DIR", str(default)))
    if (path / "manifest.json").is_file():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the corpus is missing at {path} (set CORPUS_DIR)")
    pytest.skip(f"corpus not found at {path} (set CORPUS_DIR to run corpus tests)")
