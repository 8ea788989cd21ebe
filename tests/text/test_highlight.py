"""Search highlights as plain fragments (governance/text/highlight.py)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from governance.text.highlight import (
    MARK_START,
    MARK_STOP,
    SHOWN_WHOLE,
    Fragment,
    marked_fragments,
    substring_highlight,
)


@given(st.text(max_size=SHOWN_WHOLE), st.lists(st.text(min_size=1, max_size=4), min_size=1))
def test_a_short_wording_is_given_whole(text, terms):
    fragments = substring_highlight(text, terms)
    assert "".join(f.text for f in fragments) == text
    for fragment in fragments:
        if fragment.match:
            assert any(re.fullmatch(re.escape(t), fragment.text, re.IGNORECASE) for t in terms)


def test_matches_are_case_insensitive_and_longest_first():
    text = "Safety reviews and a SAFETY review."
    fragments = substring_highlight(text, ["safety", "safety review"])
    assert [f.text for f in fragments if f.match] == ["Safety review", "SAFETY review"]


def test_a_long_wording_is_cut_around_its_first_matches():
    text = "a" * 500 + " needle " + "b" * 500 + " needle " + "c" * 500 + " needle " + "d" * 500
    fragments = substring_highlight(text, ["needle"])
    joined = "".join(f.text for f in fragments)
    assert joined.startswith("… ") and joined.endswith(" …")
    assert [f.text for f in fragments if f.match] == ["needle", "needle"]  # two windows
    assert len(joined) < 600


def test_marked_text_becomes_fragments_with_ellipses():
    text = "One two. We run a safety review of flagged chats. Three four."
    marked = f"We run a {MARK_START}safety{MARK_STOP} {MARK_START}review{MARK_STOP} of flagged"
    assert marked_fragments(marked, text) == [
        Fragment("… ", False), Fragment("We run a ", False), Fragment("safety", True),
        Fragment(" ", False), Fragment("review", True), Fragment(" of flagged", False),
        Fragment(" …", False),
    ]
    whole = f"{MARK_START}One{MARK_STOP} two."
    assert marked_fragments(whole, "One two.") == [Fragment("One", True), Fragment(" two.", False)]
