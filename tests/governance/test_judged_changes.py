"""Issue 7's hand-judged sample: 20 changes drawn with a recorded seed from every change
of a non-technical version (suspect captures included: one drawn is judged on "no
summary, and says why"), plus the special cases (a suspect capture, a Chinese change,
the version after error pages) and the first draw's entries (``drawn`` false), each
judged against its raw diff (tests/data/judged_changes.json, which says how and why).
Asserted on the whole imported corpus: the sample is redrawn with the recorded
procedure, and each change still has the judged significance and flags, and a title
that names its platform and document within 140 characters.

Verdicts marked "wrong" with a "known_issue" assert today's behaviour on purpose: the
file records what the engine does, and the test fails when that changes, so whoever
fixes the issue updates the verdict.
"""

import json
import random
from pathlib import Path

import pytest

from governance.models import Change

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

JUDGED = json.loads((Path(__file__).parents[1] / "data" / "judged_changes.json").read_text())
ENTRIES = JUDGED["changes"]
VERDICTS = {"correct", "acceptable", "wrong"}


def _key(entry: dict) -> str:
    return f"{entry['platform']}/{entry['kind']}/{entry['captured_at']}"


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _change(entry: dict) -> Change:
    return Change.objects.select_related("document__platform").get(
        document__platform__slug=entry["platform"],
        document__kind=entry["kind"],
        captured_at=entry["captured_at"].replace("Z", "+00:00"),
    )


def test_the_sample_is_the_recorded_draw(imported_corpus) -> None:
    drawing = JUDGED["drawing"]
    rows = (
        # Every change of a non-technical version, suspect captures included: the
        # population does not depend on our own analysis, so a better engine (which may
        # call more or fewer captures suspect) never changes the sample.
        Change.objects.filter(is_technical=False)
        .order_by("document__platform__slug", "document__kind", "captured_at")
        .values_list("document__platform__slug", "document__kind", "captured_at")
    )
    population = [(platform, kind, _iso(at)) for platform, kind, at in rows]
    assert len(population) == drawing["population_size"]
    drawn = sorted(random.Random(drawing["seed"]).sample(population, drawing["size"]))
    judged = [(e["platform"], e["kind"], e["captured_at"]) for e in ENTRIES if e["drawn"]]
    assert judged == drawn


def test_the_file_is_complete() -> None:
    assert sum(e["drawn"] for e in ENTRIES) == JUDGED["drawing"]["size"]
    assert any(e["platform"] == "wenxinyiyan" for e in ENTRIES)
    assert any(
        e["platform"] == "microsoft-copilot"
        and e["kind"] == "privacy-policy"
        and e["captured_at"].startswith("2026-02-20")
        for e in ENTRIES
    )
    for entry in ENTRIES:
        assert entry["raw_diff"]
        parts = (
            ("significance",)
            if entry["expected"].get("suspect")
            else ("title", "flags", "significance")
        )
        for part in parts:
            assert entry["verdict"][part]["verdict"] in VERDICTS, (_key(entry), part)
            assert entry["verdict"][part]["why"]
        wrong = any(v["verdict"] == "wrong" for v in entry["verdict"].values())
        assert wrong == ("known_issue" in entry), _key(entry)


@pytest.mark.parametrize("entry", ENTRIES, ids=_key)
def test_judged_change(imported_corpus, entry: dict) -> None:
    change = _change(entry)
    expected = entry["expected"]
    flags = {(f.category, f.subject, f.direction) for f in change.flags.all()}
    if expected.get("suspect"):
        assert (change.title, change.body, change.significance) == ("", "", "")
        assert not flags
        assert change.no_summary_reason.startswith(expected["no_summary_reason_starts"])
        assert expected["no_summary_reason_contains"] in change.no_summary_reason
        return
    assert change.no_summary_reason == ""
    assert change.significance == expected["significance"]
    assert len(change.title) <= 140
    for words in expected["title_contains"]:
        assert words in change.title
    for flag in expected["flags_present"]:
        assert tuple(flag) in flags, flag
    for flag in expected["flags_absent"]:
        assert tuple(flag) not in flags, flag
