"""Extraction rules: which parts of an HTML page are the document.

The JSON shape is Open Terms Archive's declaration format, so rules can be copied
from OTA declarations as they are:

    {"select": "main" | [CSS | range, ...], "remove": CSS | [CSS | range, ...]}

where a range is ``{"startAfter"|"startBefore": CSS, "endBefore"|"endAfter": CSS}``:
the content between two marker elements. ``startAfter`` leaves the start marker out,
``startBefore`` keeps it; ``endBefore`` leaves the end marker out, ``endAfter`` keeps it.
"""

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import soupsieve

from governance.text.errors import ExtractionError

_START_KEYS = ("startBefore", "startAfter")
_END_KEYS = ("endBefore", "endAfter")
_RULE_KEYS = frozenset({"select", "remove", "strip_query_params", "drop_patterns"})


def _check_css(selector: object, where: str) -> str:
    """Validate a CSS selector now, so bad rules fail when saved rather than at fetch time."""
    if not isinstance(selector, str) or not selector.strip():
        raise ExtractionError(
            f"{where}: a selector must be a non-empty CSS string, got {selector!r}"
        )
    try:
        soupsieve.compile(selector)  # soupsieve caches compiled patterns
    # SelectorSyntaxError mostly, NotImplementedError for pseudo-elements: all mean "invalid"
    except Exception as exc:
        raise ExtractionError(f"{where}: invalid CSS selector {selector!r}: {exc}") from exc
    return selector


@dataclass(frozen=True)
class RangeSelector:
    """Content between two marker elements (see the module docstring)."""

    start: str
    end: str
    start_inclusive: bool = False  # True = "startBefore": the start marker is kept
    end_inclusive: bool = False  # True = "endAfter": the end marker is kept

    def __post_init__(self) -> None:
        _check_css(self.start, "range start")
        _check_css(self.end, "range end")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RangeSelector":
        unknown = set(data) - set(_START_KEYS) - set(_END_KEYS)
        starts = [key for key in _START_KEYS if key in data]
        ends = [key for key in _END_KEYS if key in data]
        if unknown or len(starts) != 1 or len(ends) != 1:
            raise ExtractionError(
                "a range selector needs exactly one of startBefore/startAfter and exactly one "
                f"of endBefore/endAfter and nothing else, got {json.dumps(data, default=str)}"
            )
        return cls(
            start=data[starts[0]],
            end=data[ends[0]],
            start_inclusive=starts[0] == "startBefore",
            end_inclusive=ends[0] == "endAfter",
        )

    def to_json(self) -> dict[str, str]:
        start_key = "startBefore" if self.start_inclusive else "startAfter"
        end_key = "endAfter" if self.end_inclusive else "endBefore"
        return {start_key: self.start, end_key: self.end}


type Selector = str | RangeSelector


def _coerce_one(item: object, where: str) -> Selector:
    if isinstance(item, RangeSelector):
        return item
    if isinstance(item, Mapping):
        return RangeSelector.from_json(item)
    return _check_css(item, where)


def _coerce(value: object, where: str) -> tuple[Selector, ...]:
    """Accept what OTA accepts: one selector or a list of them (JSON null = none)."""
    if value is None:
        return ()
    if isinstance(value, str | Mapping | RangeSelector):
        value = [value]
    if not isinstance(value, Iterable):
        raise ExtractionError(f"{where}: expected a selector or a list of selectors, got {value!r}")
    return tuple(_coerce_one(item, where) for item in value)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or not all(
        isinstance(item, str) and item for item in value
    ):
        raise ExtractionError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def selector_label(selector: Selector) -> str:
    """How a selector is named in error messages: as it is written in the rules JSON."""
    if isinstance(selector, RangeSelector):
        return json.dumps(selector.to_json())
    return repr(selector)


@dataclass(frozen=True)
class ExtractionRules:
    """Select the significant parts of a page, then remove the noise within them.

    Range dicts given to the constructor are turned into ``RangeSelector`` (hashable,
    validated); a single selector may be given instead of a tuple.
    """

    select: tuple[Selector, ...] = ()
    remove: tuple[Selector, ...] = ()
    # Query parameters to strip from links (besides the built-in tracking ones), and
    # regular expressions of lines to drop ("Updated \\d+ days ago").
    strip_query_params: tuple[str, ...] = ()
    drop_patterns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # frozen: normalise the fields through object.__setattr__, once, at construction
        object.__setattr__(self, "select", _coerce(self.select, "select"))
        object.__setattr__(self, "remove", _coerce(self.remove, "remove"))
        object.__setattr__(
            self, "strip_query_params", _strings(self.strip_query_params, "strip_query_params")
        )
        object.__setattr__(self, "drop_patterns", _strings(self.drop_patterns, "drop_patterns"))
        for pattern in self.drop_patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ExtractionError(
                    f"drop_patterns: {pattern!r} is not a regular expression ({exc})"
                ) from None

    @property
    def compiled_drop_patterns(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(pattern) for pattern in self.drop_patterns)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "ExtractionRules":
        """Rules from stored JSON; ``None`` or ``{}`` means the whole page."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ExtractionError(f"extraction rules must be a JSON object, got {data!r}")
        # Unknown keys are refused: a typo ("selector") would silently archive the whole page.
        unknown = sorted(set(data) - _RULE_KEYS)
        if unknown:
            raise ExtractionError(
                f"unknown extraction rule key(s) {unknown}; allowed: {sorted(_RULE_KEYS)}"
            )
        return cls(
            select=data.get("select", ()),
            remove=data.get("remove", ()),
            strip_query_params=data.get("strip_query_params", ()),
            drop_patterns=data.get("drop_patterns", ()),
        )

    def to_json(self) -> dict[str, list[str | dict[str, str]]]:
        def dump(selectors: tuple[Selector, ...]) -> list[str | dict[str, str]]:
            return [s.to_json() if isinstance(s, RangeSelector) else s for s in selectors]

        data: dict = {"select": dump(self.select), "remove": dump(self.remove)}
        # The OTA shape stays as it is unless our own additions are in use.
        if self.strip_query_params:
            data["strip_query_params"] = list(self.strip_query_params)
        if self.drop_patterns:
            data["drop_patterns"] = list(self.drop_patterns)
        return data
