"""The text pipeline: pure functions over bytes and str, no Django.

extract (bytes -> Markdown) -> normalise (canonical text, hashed by text_sha256) ->
segment (provisions under their headings), find_stated_dates, detect_language;
align (provisions of a version to its predecessor's: lineage), diff (redlines),
flags (semantic change flags), summary (counts, title, significance).
"""

from governance.text.align import Match, align, lineage_assign
from governance.text.dates import StatedDate, StatedDates, find_stated_dates, parse_date
from governance.text.diff import unified_text_diff, word_diff
from governance.text.errors import ExtractionError
from governance.text.extract import ExtractionRules, RangeSelector, Selector, extract
from governance.text.flags import Flag, change_flags
from governance.text.jurisdiction import jurisdiction_switch, stated_regions
from governance.text.language import detect_language
from governance.text.noise import denoise, links_strip_tracking
from governance.text.normalise import normalise, text_sha256
from governance.text.segment import Heading, Segment, segment, segment_with_headings
from governance.text.summary import (
    ChangeCounts,
    Summary,
    change_counts,
    change_summarise,
    editorial_only,
)
from governance.text.suspect import suspect_reasons

__all__ = [
    "ChangeCounts",
    "ExtractionError",
    "ExtractionRules",
    "Flag",
    "Heading",
    "Match",
    "RangeSelector",
    "Segment",
    "Selector",
    "StatedDate",
    "StatedDates",
    "Summary",
    "align",
    "change_counts",
    "change_flags",
    "change_summarise",
    "denoise",
    "detect_language",
    "editorial_only",
    "extract",
    "find_stated_dates",
    "jurisdiction_switch",
    "lineage_assign",
    "links_strip_tracking",
    "normalise",
    "parse_date",
    "segment",
    "segment_with_headings",
    "stated_regions",
    "suspect_reasons",
    "text_sha256",
    "unified_text_diff",
    "word_diff",
]
