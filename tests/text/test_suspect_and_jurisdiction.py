"""Captures that look broken, and switches between regional variants."""

from pathlib import Path

import pytest

from governance.text import jurisdiction_switch, stated_regions, suspect_reasons
from tests.conftest import corpus_path_or_skip

POLICY = "# Privacy\n\n" + "We describe what we collect and why. " * 40


def test_an_ordinary_edit_is_not_suspect():
    assert suspect_reasons(POLICY.replace("why", "how"), POLICY) == []


def test_a_capture_losing_most_of_the_text_is_suspect():
    (reason,) = suspect_reasons("# Privacy\n\nLast updated: 2026\n", POLICY)
    assert reason.startswith("shrank:") and "% of the text removed" in reason


@pytest.mark.parametrize(
    "page",
    ["This page isn’t available\n\nTry again.", "Access denied", "Just a moment...",  # noqa: RUF001
     "Please complete the CAPTCHA"],
)
def test_error_pages_are_suspect(page):
    assert any(r.startswith("error-page") for r in suspect_reasons(POLICY + page, POLICY))


def test_an_error_block_already_there_is_not_new():
    previous = POLICY + "This page isn’t available"  # noqa: RUF001
    assert suspect_reasons(previous + " More.", previous) == []


def test_a_banner_is_judged_against_the_last_good_text_when_given():
    policy = "# Terms\n\n" + "You agree to these terms. " * 40
    error = "This page isn't available. An unexpected error has occurred.\n\n"
    second = error + policy[: len(policy) * 3 // 4]
    # Right after a first error page, the banner is "already there" ...
    assert suspect_reasons(second, error) == []
    # ... but the good text never had it: still an error page.
    assert suspect_reasons(second, error, last_good=policy) == [
        "error-page: “This page isn't available”"
    ]
    # The shrink is still measured against the previous capture.
    assert suspect_reasons(policy[:100], policy, last_good=policy)[-1].startswith("shrank")


def test_the_first_capture_is_only_checked_for_error_pages():
    assert suspect_reasons(POLICY, None) == []
    assert suspect_reasons("Access denied", None) != []


def test_regions_a_document_says_it_applies_to():
    uk = "These Terms apply to you if you are a consumer who is resident in the United Kingdom."
    eea = ("These Terms apply to you if you are a consumer who is resident in the European "
           "Economic Area or Switzerland.")
    assert stated_regions(uk) == {"UK"}
    assert stated_regions(eea) == {"EEA", "CH"}
    assert jurisdiction_switch(eea, uk) == "UK → CH/EEA"
    assert jurisdiction_switch(uk, uk) is None
    assert jurisdiction_switch("No region is named.", uk) is None


def test_the_corpus_claude_terms_switch_from_uk_to_eea():
    corpus = corpus_path_or_skip()
    folder = Path(corpus) / "claude-ai" / "terms-of-service"
    before = (folder / "2025-10-09T00-32-05Z.md").read_text()
    after = (folder / "2025-11-28T19-01-20Z.md").read_text()
    assert jurisdiction_switch(after, before) == "UK → CH/EEA"


def test_the_corpus_copilot_header_only_capture_is_suspect():
    corpus = corpus_path_or_skip()
    folder = Path(corpus) / "microsoft-copilot" / "privacy-policy"
    before = (folder / "2025-10-11T12-37-16Z.md").read_text()
    after = (folder / "2026-02-20T07-04-37Z.md").read_text()
    assert [r.split(":")[0] for r in suspect_reasons(after, before)] == ["shrank"]


def test_a_policy_describing_its_captcha_is_not_an_error_page():
    text = POLICY + "We use Google reCAPTCHA to protect our sign-up forms from abuse."
    assert suspect_reasons(text, POLICY) == []
