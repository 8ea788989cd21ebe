"""change_counts / change_summarise / editorial_only: rules, titles, real corpus pairs."""

# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.text import align, lineage_assign, normalise, segment
from governance.text.diff import provision_changes
from governance.text.flags import change_flags
from governance.text.summary import (
    NO_SUMMARY_SUSPECT,
    NO_SUMMARY_TECHNICAL,
    RULE_EDITORIAL,
    RULE_MINOR,
    RULE_MOVED,
    RULE_NOTHING,
    TITLE_MAX,
    ChangeCounts,
    Summary,
    change_counts,
    change_summarise,
    editorial_only,
)

from .helpers import PROPERTY, corpus_dir
from .test_flags import CLAUSES, Texts, pipeline


def summarise(
    old_items: Texts,
    new_items: Texts,
    *,
    language: str = "en",
    platform: str = "ChatGPT",
    document: str = "Privacy Policy",
) -> tuple[Summary, ChangeCounts]:
    old, new, changes = pipeline(old_items, new_items, language=language)
    counts = change_counts(changes, old, new, language=language)
    flags = change_flags(changes, old, new, language=language)
    summary = change_summarise(
        platform=platform, document=document, counts=counts, flags=flags, changes=changes
    )
    assert len(summary.title) <= TITLE_MAX
    assert summary.significance in {"major", "minor", "editorial"}
    return summary, counts


def test_counts() -> None:
    old = [
        (("Data",), "We keep chat logs for 30 days."),
        (("Data",), "We collect your name."),
        (("Rights",), "You can ask for a copy of your data."),
    ]
    new = [
        (("Data",), "We keep chat logs for 90 days."),
        (("Data",), "We collect your name."),
        (("Contact",), "Write to privacy@example.com or call us."),
    ]
    _, counts = summarise(old, new)
    assert counts == ChangeCounts(
        added=1,
        removed=1,
        modified=1,
        moved=0,
        split=0,
        merged=0,
        words_added=1 + 8,  # "90"; "Write to privacy example com or call us"
        words_removed=1 + 9,
        headings_touched=(("Data",), ("Rights",), ("Contact",)),
    )
    assert counts.as_dict()["headings_touched"] == [["Data"], ["Rights"], ["Contact"]]
    _, chinese = summarise(["我们保存数据。"], ["我们长期保存数据。"], language="zh")
    assert (chinese.words_added, chinese.words_removed) == (2, 0)  # 长, 期


def test_a_two_word_deletion_that_removes_an_opt_in_is_major() -> None:
    summary, counts = summarise(
        ["We train our models on opt-in conversations."],
        ["We train our models on conversations."],
    )
    assert counts.words_removed == 2
    assert summary.significance == "major"
    assert summary.rule == "major: a right or choice (opt-in) was removed"
    assert summary.title == "ChatGPT Privacy Policy: opt-in language removed"
    assert '"We train our models on opt-in conversations."' in summary.body


def test_title_names_the_number_and_what_it_is_about() -> None:
    summary, _ = summarise(
        ["You can opt out of training.", "We retain chat logs for 30 days."],
        ["You can choose how we use data.", "We retain chat logs for 90 days."],
    )
    assert summary.title == (
        "ChatGPT Privacy Policy: opt-out language removed; "
        "retention period changed from 30 days to 90 days; training language removed"
    )
    assert summary.rule == "major: a right or choice (opt-out) was removed"
    number, _ = summarise(["You must be 13 or older."], ["You must be 18 or older."])
    assert number.rule == "major: a number, duration or amount changed (13 → 18)"


@pytest.mark.parametrize(
    ("old", "new", "kinds"),
    [
        ("We collect your name.", "We collect your name", "punctuation"),
        ("We collect\nyour name.", "We collect your name.", "whitespace"),
        ("We collect **your** name.", "We collect your name.", "formatting"),
        ("We Collect your name.", "We collect your name.", "case"),
        ("See [terms](https://a.example/x).", "See [terms](https://b.example/y).", "link targets"),
        ("Last updated: May 1, 2024", "Last updated: June 3, 2025", "stated date"),
    ],
)
def test_editorial_edits(old: str, new: str, kinds: str) -> None:
    summary, _ = summarise([old, "We keep your data safe."], [new, "We keep your data safe."])
    assert summary.significance == "editorial"
    assert summary.rule == RULE_EDITORIAL
    assert summary.title == f"ChatGPT Privacy Policy: editorial edits only ({kinds})"
    assert summary.body == f"Only {kinds} changed, in 1 provision; no word did."


def test_what_is_not_editorial() -> None:
    # A typo fix changes a word; a date inside a clause is not a date line.
    summary, _ = summarise(["We colect your name."], ["We collect your name."])
    assert (summary.significance, summary.rule) == ("minor", RULE_MINOR)
    assert summary.title == "ChatGPT Privacy Policy revised: 1 provision modified"
    clause = "Last updated: these terms apply to accounts created before {} and all their data."
    _, _, changes = pipeline([clause.format("May 1, 2024")], [clause.format("June 1, 2024")])
    assert not editorial_only(changes)
    assert editorial_only([])


def test_moves_alone_are_minor_and_no_change_is_editorial() -> None:
    clauses = [
        (("A",), "We collect your name to create your account."),
        (("A",), "We use cookies to remember your preferences."),
        (("B",), "Payments are processed by our payment provider."),
    ]
    summary, counts = summarise(clauses, [clauses[2], clauses[0], clauses[1]])
    assert counts.moved == 1
    assert (summary.significance, summary.rule) == ("minor", RULE_MOVED)
    assert summary.title == "ChatGPT Privacy Policy revised: 1 provision moved"
    nothing, _ = summarise(clauses, clauses)
    assert (nothing.significance, nothing.rule) == ("editorial", RULE_NOTHING)


def test_sections_added_with_and_without_flagged_vocabulary() -> None:
    base = ["We collect your name to create your account."]
    training, _ = summarise(
        base, [*base, (("Training",), "Your messages help us improve the models we train.")]
    )
    assert training.significance == "major"
    assert training.rule == "major: training language was added"
    plain, _ = summarise(base, [*base, (("Contact",), "Write to us at our office address.")])
    assert (plain.significance, plain.rule) == ("minor", RULE_MINOR)
    assert plain.title == "ChatGPT Privacy Policy revised: 1 provision added"


def test_weak_signals_are_minor() -> None:
    jurisdiction, _ = summarise(["Contact our office."], ["Contact our office in the EEA."])
    assert jurisdiction.rule == "minor: jurisdiction language was added"
    number, _ = summarise(["Pay the invoice."], ["Pay the invoice within 45 days."])
    assert number.rule == "minor: a number, duration or amount was added (45 days)"
    modal, _ = summarise(["Customers sign up."], ["Customers may sign up."])
    assert modal.rule == "minor: a modal was added (may)"


def test_titles_fit_with_many_flags_and_long_names() -> None:
    old = ["We collect data."]
    new = [
        "We collect your precise location, voice recordings, biometric data, health data, "
        "payment card details and contact lists to train our models and share with advertisers"
        " unless you opt out, withdraw consent or request deletion; children may not use it."
    ]
    summary, _ = summarise(old, new, platform="Google Generative AI Services" * 3)
    assert len(summary.title) <= TITLE_MAX
    summary, _ = summarise(old, new)
    assert len(summary.title) <= TITLE_MAX and summary.title.endswith("; and more")
    assert summary.body.count("\n") <= 5


def test_chinese_summary() -> None:
    summary, _ = summarise(
        ["我们会保存您的对话内容30天。"],
        ["我们会保存您的对话内容180天，并用于模型训练。"],
        language="zh",
        platform="文心一言",
        document="Privacy Policy",
    )
    assert summary.significance == "major"
    assert summary.title == (
        "文心一言 Privacy Policy: retention period changed from 30天 to 180天; "
        "training language added"
    )


def test_no_summary_reasons() -> None:
    assert NO_SUMMARY_TECHNICAL.startswith("technical version:")
    assert NO_SUMMARY_SUSPECT.startswith("suspect capture:")


@PROPERTY
@given(st.lists(CLAUSES, max_size=5), st.lists(CLAUSES, max_size=5))
def test_summaries_are_deterministic_and_titles_fit(old: list[str], new: list[str]) -> None:
    first, counts = summarise(old, new)
    assert summarise(old, new) == (first, counts)
    assert first.rule.startswith(first.significance)
    if old == new:
        assert first.significance == "editorial"


# --- the corpus -----------------------------------------------------------------------

DOCUMENTS = [
    ("chatgpt", "privacy-policy"),
    ("claude-ai", "privacy-policy"),
    ("wenxinyiyan", "privacy-policy"),
    ("wenxinyiyan", "terms-of-service"),
]


def corpus_summaries(service: str, kind: str) -> list[tuple[list, list, list, Summary]]:
    """(old, new, flags, summary) of each consecutive version pair of a corpus document."""
    root = corpus_dir()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    (document,) = [
        d for d in manifest if d["service"] == service and d["document_type_slug"] == kind
    ]
    language = "zh" if service == "wenxinyiyan" else "en"
    history = [
        segment(normalise((root / v["file"]).read_text(encoding="utf-8")))
        for v in document["versions"]
    ]
    fresh = itertools.count()
    ids = [f"L{next(fresh)}" for _ in history[0]]
    out = []
    for old, new in itertools.pairwise(history):
        matches = align(old, new)
        new_ids = lineage_assign(ids, matches, len(new), lambda: f"L{next(fresh)}")
        changes = provision_changes(old, new, matches, ids, new_ids, language=language)
        counts = change_counts(changes, old, new, language=language)
        flags = change_flags(changes, old, new, language=language)
        summary = change_summarise(
            platform=document["service_name"],
            document=document["document_type"],
            counts=counts,
            flags=flags,
            changes=changes,
        )
        assert flags == change_flags(changes, old, new, language=language)
        assert summary == change_summarise(
            platform=document["service_name"],
            document=document["document_type"],
            counts=counts,
            flags=flags,
            changes=changes,
        )
        name = f"{document['service_name']} {document['document_type']}"
        assert summary.title.startswith(name) and len(summary.title) <= TITLE_MAX
        out.append((old, new, flags, summary))
        ids = new_ids
    return out


@pytest.mark.corpus
@pytest.mark.parametrize(("service", "kind"), DOCUMENTS)
def test_corpus_histories_summarise(service: str, kind: str) -> None:
    for old, new, flags, summary in corpus_summaries(service, kind):
        assert summary.significance in {"major", "minor", "editorial"}
        for flag in flags:
            assert not flag.before or any(flag.before in p.text for p in old)
            assert not flag.after or any(flag.after in p.text for p in new)


@pytest.mark.corpus
def test_corpus_known_changes() -> None:
    """The August 2025 Claude training change is major; not every change is."""
    claude = corpus_summaries("claude-ai", "privacy-policy")
    significance = [summary.significance for *_, summary in claude]
    assert 0 < significance.count("major") < len(significance)
    assert any(
        f.category == "modality" and f.subject.startswith("will not →") and "Inputs" in f.before
        for _, _, flags, _ in claude
        for f in flags
    )


def test_plain_modals_come_last_in_the_title() -> None:
    """xai privacy-policy 2024-11-13 was titled '... "would" removed; ... "may" added;
    and more' ahead of its training language: a plain modal coming or going is named
    after everything else."""
    old = ["We collect your feedback."]
    new = ["We collect your feedback. We may use it to train our models."]
    summary, _ = summarise(old, new)
    assert summary.title.index("training language added") < summary.title.index('"may" added')
    # A modal that shifts class or binds still comes first.
    summary, _ = summarise(
        ["We will not sell your data."], ["We may sell your data, and we train on it."]
    )
    assert summary.title.index('"will not" changed to "may"') < summary.title.index("training")


def test_an_added_or_removed_obligation_or_prohibition_is_major() -> None:
    base = ["Midjourney is an AI image service."]
    clause = "You may not use the Service to try to violate the intellectual property rights."
    added, _ = summarise(base, [*base, clause], platform="Midjourney", document="Terms")
    assert (added.significance, added.rule) == (
        "major",
        "major: a provision with an obligation or prohibition (may not) was added",
    )
    assert 'prohibition ("may not") added' in added.title
    assert "You may not use the Service" in added.body
    removed, _ = summarise([*base, "We will not sell your personal information."], base)
    assert removed.rule == (
        "major: a provision with an obligation or prohibition (will not) was removed"
    )
    several, _ = summarise(
        base, [*base, "You must not scrape the Services.", "Users must be 18 or older."]
    )
    assert 'prohibition ("must not") added; obligation ("must") added' in several.title


def test_weak_modals_of_added_provisions_stay_minor() -> None:
    base = ["We collect your name to create your account."]
    for clause in (
        "You may change your display name at any time.",
        "We may contact you about your account.",
        "You can download your invoices from the dashboard.",
        "You should keep your password secret.",
    ):
        summary, _ = summarise(base, [*base, clause])
        assert (summary.significance, summary.rule) == ("minor", RULE_MINOR), clause


def test_a_strong_modal_inside_a_clause_keeps_its_rule() -> None:
    summary, _ = summarise(
        ["You keep your password secret."], ["You must keep your password secret."]
    )
    assert summary.rule == "major: modality changed (must added)"
    assert 'obligation ("must") added' in summary.title
