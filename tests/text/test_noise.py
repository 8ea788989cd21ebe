"""Noise in extracted text: tracking parameters in links, and lines a source drops."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.text import ExtractionError, ExtractionRules, extract, links_strip_tracking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[c](https://www.reddit.com/policies/cookies?rdt=52789)",
         "[c](https://www.reddit.com/policies/cookies)"),
        ("[p](https://a.example/p?utm_source=x&utm_medium=y&id=3#top)",
         "[p](https://a.example/p?id=3#top)"),
        ("see https://a.example/?fbclid=abc&q=1 now", "see https://a.example/?q=1 now"),
        # Parameters that select a document stay, spelled as they were.
        ("[t](https://policies.google.com/terms?hl=en-GB&gl=IE)",
         "[t](https://policies.google.com/terms?hl=en-GB&gl=IE)"),
        ("no links at all", "no links at all"),
    ],
)
def test_tracking_parameters_are_stripped(text, expected):
    assert links_strip_tracking(text) == expected


def test_a_source_can_name_more_parameters_and_lines_to_drop():
    page = (
        b"<main><h1>Terms</h1><p>Updated 3 days ago</p>"
        b'<p>Read <a href="https://x.example/doc?session=9f2&amp;v=2">this</a>.</p></main>'
    )
    rules = ExtractionRules.from_json(
        {"select": "main", "strip_query_params": ["session"],
         "drop_patterns": [r"^Updated \d+ days? ago$"]}
    )
    text = extract(page, "text/html", rules=rules)
    assert "Updated" not in text
    assert "(https://x.example/doc?v=2)" in text


def test_noise_only_differences_extract_to_the_same_text():
    def page(n: int) -> bytes:
        return (
            f'<main><h1>Privacy</h1><p>Updated {n} days ago</p><p>We keep data. '
            f'<a href="https://x.example/p?utm_campaign=c{n}&amp;rdt={n}">More</a></p></main>'
        ).encode()

    rules = ExtractionRules.from_json({"drop_patterns": [r"Updated \d+ days ago"]})
    assert len({extract(page(n), "text/html", rules=rules) for n in range(5)}) == 1


@pytest.mark.parametrize(
    "rules",
    [{"drop_patterns": ["(unclosed"]}, {"strip_query_params": [3]}, {"drop_patterns": ""}],
)
def test_bad_rules_are_refused_with_a_reason(rules):
    with pytest.raises(ExtractionError):
        ExtractionRules.from_json(rules)


@given(st.text())
def test_stripping_never_raises_and_is_idempotent(text):
    once = links_strip_tracking(text)
    assert links_strip_tracking(once) == once
