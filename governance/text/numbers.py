"""Numbers in clauses, for ``flags``: which ones are quantities, what each is worth, and
what a number flag is about.

A quantity is a duration, an amount, a percentage or a plain number that counts
something; not a section reference ("Section 3.2"), an enumerator ("3." opening a
line), a version ("GPT-4", "8.1"), a date, a year, a phone or postal number, or a
street address ("650 California St"). Two quantities are equal when their values are:
"thirty (30) days" is "30 day", "$75,000" is "75,000 dollars".
"""

import functools
import re

from governance.text import vocabulary as v

_ENUMERATOR_BEFORE = re.compile(r"[\s>*_#+\-\\(]*")
_ENUMERATOR_AFTER = re.compile(r"\\?[.)]")
# Next to another number: a phone number, a range, a list of section numbers.
_PHONE_BEFORE = re.compile(r"(?:\d[\s\-\u2013\u2014./(),]{0,2}|\d\s[\-\u2013\u2014]\s|\+\s?)$")
# also "14\\." (an enumerator) and a spaced range ("9 - 12", with an en dash too)
_PHONE_AFTER = re.compile(r"[\s\-\u2013\u2014./(),]{0,2}\d|\s[\-\u2013\u2014]\s\d|\\\.")
# A footnote or a table-of-contents entry ("\\[45", "[3\\."), a dotted number
# ("A.2", "Terms.12"), a section's title after it ("7 (Confidentiality)").
_REFERENCE_MARK_BEFORE = re.compile(r"(?:[\[^#№]|\w\.|\.)\\?$")
_SECTION_AFTER = re.compile(r"\s*\((?:[A-Z]|[a-z]\))")
_ADDRESS_AFTER = re.compile(v.EN_ADDRESS_AFTER)
_SPELLED = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
    "eighteen": "18", "twenty": "20", "thirty": "30", "forty": "40", "forty-five": "45",
    "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100",
}  # fmt: skip


def is_quantity(
    text: str, start: int, end: int, kind: str, reference_before: re.Pattern[str]
) -> bool:
    """False for the number ``text[start:end]`` (of ``kind``) when it names a place or a
    thing rather than a quantity (module doc)."""
    if reference_before.search(text[max(0, start - 40) : start]):
        return False
    if kind != "number":
        return True
    value = text[start:end]
    if "." in value or ("," not in value and len(value) >= 5):
        return False  # "3.5", "8.1": versions and sections; postcodes, phones
    if _REFERENCE_MARK_BEFORE.search(text[max(0, start - 3) : start]):
        return False
    if _SECTION_AFTER.match(text, end) or _ADDRESS_AFTER.match(text, end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if _ENUMERATOR_BEFORE.fullmatch(text[line_start:start]) and _ENUMERATOR_AFTER.match(text, end):
        return False  # "3." or "3)" opening a line
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return False  # "(3)"
    return not (
        _PHONE_BEFORE.search(text[max(0, start - 4) : start]) or _PHONE_AFTER.match(text, end)
    )


_CURRENCY = {"usd": "$", "dollars": "$", "us": "", "eur": "€", "euros": "€", "gbp": "£"}
_CURRENCY |= {"pounds": "£"}
_VALUE_WORD = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+|[%$€£¥￥％]")  # noqa: RUF001


def number_value(text: str) -> str:
    """What a number's words are worth, unit included: "thirty (30) days" is "30 day"."""
    words = [
        _CURRENCY.get(w, _SPELLED.get(w, w))
        for w in _VALUE_WORD.findall(text.lower().replace(",", ""))
    ]
    # "thirty (30) days": the spelled number and the digits say the same.
    deduped = [w for k, w in enumerate(words) if k == 0 or w != words[k - 1]]
    # Sorted: "$75,000" and "75,000 dollars" are one amount.
    return " ".join(sorted(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in deduped if w))


_HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@functools.cache
def _topics(chinese: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = v.ZH_NUMBER_TOPICS if chinese else v.EN_NUMBER_TOPICS
    boundary = "{}" if chinese else r"(?<![\w-])(?:{})(?!\w)"
    return tuple((name, re.compile(boundary.format(p), re.IGNORECASE)) for name, p in rows)


def topic_of(quote: str) -> str | None:
    """What the number in ``quote`` (a number flag's words) is about, if it says:
    "retention period", "age threshold", "notice period", "liability cap", "fee"."""
    for name, pattern in _topics(bool(_HAS_CJK.search(quote))):
        if pattern.search(quote):
            return name
    return None
