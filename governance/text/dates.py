"""Dates a document states about itself: "Last updated: …", "Effective date: …", "生效日期".

Only unambiguous date formats are read: month names (``May 1, 2025``, ``1 May 2025``),
ISO (``2025-05-01``) and Chinese (``2025年5月1日``). ``01/05/2025`` is skipped: it is
May 1st in London and January 5th in San Francisco. The earliest statement of each
kind wins (documents put them at the top; later mentions are usually history).
"""

import datetime
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StatedDate:
    value: datetime.date
    quote: str  # the exact words of the text, e.g. "Last updated: May 1, 2025"


@dataclass(frozen=True)
class StatedDates:
    last_updated: StatedDate | None
    effective: StatedDate | None


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_DAY = r"(?<!\d)\d{1,2}(?:st|nd|rd|th)?(?![\d])"
_YEAR = r"\d{4}(?!\d)"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"

# Each format is matched twice: inside a phrase (no groups) and alone (named groups).
_FORMATS = (
    rf"(?P<month>{_MONTH})\s*(?P<day>{_DAY})(?:\s*,\s*|\s+)(?P<year>{_YEAR})",  # May 1, 2025
    rf"(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})",  # 1 May 2025
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)",  # 2025-05-01
    r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日",  # 2025年5月1日
)
_PARSERS = tuple(re.compile(f, re.IGNORECASE) for f in _FORMATS)
_ANY_DATE = "(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", f) for f in _FORMATS) + ")"

# Between a label and its date: a colon (ASCII or full-width), spaces, Markdown emphasis.
_GAP = r"[\s*_:：]*"  # noqa: RUF001
# Word boundaries that treat "_" as punctuation, so "_Effective: …_" (Markdown) matches.
# A label may also run straight into a month name: "UpdatedJanuary 10, 2024" is what
# some pages give once their HTML is converted.
_WORD_START = r"(?<![^\W_])"
_WORD_END = r"(?![^\W_])"
_LAST_UPDATED_LABELS = (
    rf"{_WORD_START}(?:last\s+(?:updated|modified|revised|changed|amended)"
    r"|(?:date\s+of\s+)?last\s+(?:update|revision|modification|amendment)"
    rf"|updated|revised)(?:\s+(?:on|date))?(?:{_WORD_END}|(?={_MONTH}))"
    r"|(?:版本)?(?:更新|修订|修改)(?:日期|时间)|最(?:近|后)(?:更新|修订)(?:日期|时间)?"
)
_EFFECTIVE_LABELS = (
    rf"{_WORD_START}(?:version\s+)?effective(?:\s+date)?(?:\s+(?:as\s+of|from|on))?"
    rf"(?:{_WORD_END}|(?={_MONTH}))"
    r"|(?:版本)?生效(?:日期|时间)"
)
# Each pattern opens with a lookahead for the first letters its labels can start with:
# it lets the regex engine skip ahead, which makes the search about three times faster.
# Keep it in step with the labels (the round-trip tests would fail otherwise).
_LAST_UPDATED = re.compile(
    rf"(?=[ludr版更修最])(?:{_LAST_UPDATED_LABELS}){_GAP}{_WEEKDAY}(?P<date>{_ANY_DATE})",
    re.IGNORECASE,
)
_EFFECTIVE = re.compile(
    rf"(?=[ev版生自])(?:(?:{_EFFECTIVE_LABELS}){_GAP}{_WEEKDAY}(?P<date>{_ANY_DATE})"
    rf"|自\s*(?P<date_first>{_ANY_DATE})\s*起?\s*(?:正式)?生效)",  # 本协议自2023年5月1日起生效
    re.IGNORECASE,
)


def find_stated_dates(text: str) -> StatedDates:
    """The first valid "last updated" and "effective" statements in ``text``."""
    return StatedDates(last_updated=_first(_LAST_UPDATED, text), effective=_first(_EFFECTIVE, text))


def _first(pattern: re.Pattern[str], text: str) -> StatedDate | None:
    for match in pattern.finditer(text):
        value = parse_date(match["date"] or match.groupdict().get("date_first") or "")
        if value is not None:  # "February 30, 2025" is a typo, not a date: keep looking
            return StatedDate(value=value, quote=match.group(0))
    return None


def parse_date(written: str) -> datetime.date | None:
    """The date ``written`` in one of the supported formats, if it is a valid date."""
    for parser in _PARSERS:
        match = parser.fullmatch(written.strip())
        if match is not None:
            return _to_date(match)
    return None


def _to_date(match: re.Match[str]) -> datetime.date | None:
    month = match["month"]
    month_number = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
    day = re.match(r"\d+", match["day"])
    assert day is not None  # the pattern guarantees leading digits
    try:
        return datetime.date(int(match["year"]), month_number, int(day.group(0)))
    except ValueError:
        return None
