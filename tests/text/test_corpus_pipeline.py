"""normalise -> segment / find_stated_dates / detect_language over every corpus version."""

# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from governance.text import (
    Heading,
    detect_language,
    find_stated_dates,
    normalise,
    segment_with_headings,
)

from .helpers import corpus_dir, without_markup

pytestmark = pytest.mark.corpus

# Most documents state a date; some never do (imprints, Mistral's early terms, the
# Baidu user agreement) and some only ambiguously ("Effective date: 11-04-2023").
MIN_SHARE_WITH_A_DATE = 0.7


@dataclass(frozen=True)
class Version:
    service: str
    file: Path


def corpus_versions() -> list[Version]:
    root = corpus_dir()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return [
        Version(service=document["service"], file=root / version["file"])
        for document in manifest
        for version in document["versions"]
    ]


@pytest.fixture(scope="module")
def versions() -> list[Version]:
    return corpus_versions()


def test_every_version_normalises_segments_and_keeps_its_text(versions: list[Version]) -> None:
    assert len(versions) > 500
    with_date = 0
    for version in versions:
        text = normalise(version.file.read_text(encoding="utf-8"))
        items = segment_with_headings(text)
        produced = "".join(i.title if isinstance(i, Heading) else i.text for i in items)
        assert without_markup(produced) == without_markup(text), version.file
        dates = find_stated_dates(text)
        for stated in (dates.last_updated, dates.effective):
            assert stated is None or stated.quote in text
        with_date += dates.last_updated is not None or dates.effective is not None
    assert with_date >= MIN_SHARE_WITH_A_DATE * len(versions)


def test_latest_version_of_each_document_language_and_idempotence(
    versions: list[Version],
) -> None:
    # Only the latest versions: the classifier and a second normalise() cost time, and
    # hypothesis covers idempotence in general.
    latest = {version.file.parent: version for version in versions}  # manifest is in order
    for version in latest.values():
        text = normalise(version.file.read_text(encoding="utf-8"))
        assert normalise(text) == text, version.file
        expected = "zh" if version.service == "wenxinyiyan" else "en"
        assert detect_language(text) in {expected, "und" if len(text) < 500 else expected}, (
            version.file
        )


def test_known_stated_dates() -> None:
    root = corpus_dir()
    baidu = normalise(
        (root / "wenxinyiyan/privacy-policy/2024-08-14T12-33-37Z.md").read_text(encoding="utf-8")
    )
    dates = find_stated_dates(baidu)
    assert dates.last_updated is not None and dates.last_updated.quote == "更新日期：2022年4月26日"
    assert dates.effective is not None and dates.effective.quote == "生效日期：2022年5月3日"
