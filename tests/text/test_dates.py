# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

import datetime
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.text import StatedDate, find_stated_dates, parse_date

from .helpers import PROPERTY

D = datetime.date


@pytest.mark.parametrize(
    ("text", "value", "quote"),
    [
        ("Last updated: May 1, 2025", D(2025, 5, 1), "Last updated: May 1, 2025"),
        ("Last Updated: 1 May 2025", D(2025, 5, 1), "Last Updated: 1 May 2025"),
        ("Updated: 2025-05-01", D(2025, 5, 1), "Updated: 2025-05-01"),
        ("Last modified on January 3, 2024", D(2024, 1, 3), "Last modified on January 3, 2024"),
        ("Last revised: Sept. 9, 2024", D(2024, 9, 9), "Last revised: Sept. 9, 2024"),
        ("**Last Updated:** March 20, 2026", D(2026, 3, 20), "Last Updated:** March 20, 2026"),
        ("**Last updated: July 8th, 2025**", D(2025, 7, 8), "Last updated: July 8th, 2025"),
        ("_Last Updated: 15 March 2024_", D(2024, 3, 15), "Last Updated: 15 March 2024"),
        ("Last updated Feb 14, 2025", D(2025, 2, 14), "Last updated Feb 14, 2025"),
        (
            "Last modified: 9 August 2023 | [Archived versions](https://example.com)",
            D(2023, 8, 9),
            "Last modified: 9 August 2023",
        ),
        ("UpdatedJanuary 10, 2024", D(2024, 1, 10), "UpdatedJanuary 10, 2024"),
        ("Last updated: Monday, June 2, 2025", D(2025, 6, 2), "Last updated: Monday, June 2, 2025"),
        ("更新日期：2022年4月26日", D(2022, 4, 26), "更新日期：2022年4月26日"),
        ("更新时间: 2024 年 1 月 5 日", D(2024, 1, 5), "更新时间: 2024 年 1 月 5 日"),
        ("最近更新：2023年12月1日", D(2023, 12, 1), "最近更新：2023年12月1日"),
        ("最后更新日期 2023年2月3日", D(2023, 2, 3), "最后更新日期 2023年2月3日"),
    ],
)
def test_last_updated(text: str, value: datetime.date, quote: str) -> None:
    found = find_stated_dates(text)
    assert found.last_updated == StatedDate(value=value, quote=quote)
    assert found.effective is None


@pytest.mark.parametrize(
    ("text", "value", "quote"),
    [
        ("Effective date: 25 April 2023", D(2023, 4, 25), "Effective date: 25 April 2023"),
        ("Effective as of May 27 2025", D(2025, 5, 27), "Effective as of May 27 2025"),
        ("_Effective: April 24, 2025_", D(2025, 4, 24), "Effective: April 24, 2025"),
        ("**Effective:**  February 15, 2024 ([previous version](x))", D(2024, 2, 15),
         "Effective:**  February 15, 2024"),
        ("These terms are effective from 1 May 2025.", D(2025, 5, 1), "effective from 1 May 2025"),
        ("Effective July 8, 2026[Previous Version](https://x)", D(2026, 7, 8),
         "Effective July 8, 2026"),
        ("**Version Effective Date: June 23, 2025**", D(2025, 6, 23),
         "Version Effective Date: June 23, 2025"),
        ("Effective date: 2023-11-04", D(2023, 11, 4), "Effective date: 2023-11-04"),
        ("生效日期：2022年5月3日", D(2022, 5, 3), "生效日期：2022年5月3日"),
        ("生效时间:2023年5月1日", D(2023, 5, 1), "生效时间:2023年5月1日"),
        ("版本生效日期： 2024年10月1日", D(2024, 10, 1), "版本生效日期： 2024年10月1日"),
        ("本协议自2023年5月1日起生效。", D(2023, 5, 1), "自2023年5月1日起生效"),
    ],
)  # fmt: skip
def test_effective(text: str, value: datetime.date, quote: str) -> None:
    found = find_stated_dates(text)
    assert found.effective == StatedDate(value=value, quote=quote)
    assert found.last_updated is None


def test_both_from_a_chinese_header() -> None:
    text = (
        "### 百度隐私政策总则\n\n更新日期：2022年4月26日\n生效日期：2022年5月3日\n\n**欢迎您使用**"
    )
    found = find_stated_dates(text)
    assert found.last_updated is not None and found.last_updated.value == D(2022, 4, 26)
    assert found.effective is not None and found.effective.value == D(2022, 5, 3)


def test_earliest_statement_wins() -> None:
    text = (
        "Privacy Policy\n\nLast updated: March 1, 2025\n\n...\n\n"
        "## Changes\n\nPrevious version last updated: January 5, 2024."
    )
    found = find_stated_dates(text)
    assert found.last_updated is not None
    assert found.last_updated.value == D(2025, 3, 1)


def test_invalid_date_is_skipped_not_raised() -> None:
    text = "Last updated: February 30, 2025\nLast updated: March 2, 2025"
    found = find_stated_dates(text)
    assert found.last_updated is not None
    assert found.last_updated.value == D(2025, 3, 2)
    assert find_stated_dates("Effective: 2025-13-01").effective is None


@pytest.mark.parametrize(
    "text",
    [
        "Effective date: 11-04-2023",  # November 4th or April 11th: ambiguous
        "Last updated: 01/05/2025",
        "Last Updated: October 2023",  # no day
        "* “**Effective Date**”: means the earlier of (i) the date You first use the Services",
        "We may update the effective date of these terms from time to time.",
        "taining to the accuracy, relevance, and effectiveness May 1, 2025",
        "",
    ],
)
def test_no_stated_date(text: str) -> None:
    found = find_stated_dates(text)
    assert found.last_updated is None
    assert found.effective is None


def test_quote_is_the_exact_text() -> None:
    text = "Intro.\n\n_Last  Updated:   15 March 2024_ and more"
    found = find_stated_dates(text)
    assert found.last_updated is not None
    assert found.last_updated.quote in text


def test_parse_date_formats() -> None:
    assert parse_date("May 1st, 2025") == D(2025, 5, 1)
    assert parse_date("1 May 2025") == D(2025, 5, 1)
    assert parse_date("2025-5-1") == D(2025, 5, 1)
    assert parse_date("2025年5月1日") == D(2025, 5, 1)
    assert parse_date("２０２５年５月１日") == D(2025, 5, 1)  # full-width digits
    assert parse_date("May 1") is None
    assert parse_date("01/05/2025") is None


MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
ABBREVIATIONS = [m[:3] + "." for m in MONTHS]
ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}

LAST_UPDATED_TEMPLATES: list[Callable[[datetime.date], str]] = [
    lambda d: f"Last updated: {MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"Last Updated: {d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"Updated: {d.isoformat()}",
    lambda d: f"Last modified on {ABBREVIATIONS[d.month - 1]} {d.day}, {d.year}",
    lambda d: (
        f"**Last revised:** {MONTHS[d.month - 1]} {d.day}{ORDINAL.get(d.day, 'th')}, {d.year}"
    ),
    lambda d: f"更新日期：{d.year}年{d.month}月{d.day}日",
    lambda d: f"最近更新: {d.year}年{d.month:02d}月{d.day:02d}日",
]
EFFECTIVE_TEMPLATES: list[Callable[[datetime.date], str]] = [
    lambda d: f"Effective date: {d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"_Effective: {MONTHS[d.month - 1].upper()} {d.day}, {d.year}_",
    lambda d: f"These terms are effective from {d.isoformat()}.",
    lambda d: f"Effective as of {ABBREVIATIONS[d.month - 1]} {d.day} {d.year}",
    lambda d: f"生效日期：{d.year}年{d.month}月{d.day}日",
    lambda d: f"本协议自{d.year}年{d.month}月{d.day}日起生效",
]
DATES = st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31))


@PROPERTY
@given(DATES, st.sampled_from(LAST_UPDATED_TEMPLATES), st.sampled_from(["", "Terms\n\n"]))
def test_last_updated_round_trip(
    date: datetime.date, template: Callable[[datetime.date], str], prefix: str
) -> None:
    text = prefix + template(date) + "\n\nBody text."
    found = find_stated_dates(text)
    assert found.last_updated is not None
    assert found.last_updated.value == date
    assert found.last_updated.quote in text


@PROPERTY
@given(DATES, st.sampled_from(EFFECTIVE_TEMPLATES))
def test_effective_round_trip(
    date: datetime.date, template: Callable[[datetime.date], str]
) -> None:
    text = template(date)
    found = find_stated_dates(text)
    assert found.effective is not None
    assert found.effective.value == date
    assert found.effective.quote in text


@PROPERTY
@given(st.text())
def test_never_raises_and_quotes_are_substrings(text: str) -> None:
    found = find_stated_dates(text)
    for stated in (found.last_updated, found.effective):
        assert stated is None or stated.quote in text
