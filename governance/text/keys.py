"""Match keys: the form of a provision's text that alignment compares.

Casefolded, whitespace collapsed, quotes and dashes unified, emphasis and link targets
dropped, line-leading list markers and enumerators ("1.", "A.1.", "(a)", "第三条")
removed: renumbering, typography and link tracking parameters hide no clause.
``code_words`` turns a key into one character per word for rapidfuzz.
"""

import functools
import re
from collections.abc import Sequence

from governance.text.segment import Segment

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
# A dotted enumerator needs a digit ("A.1.", "I.2.a."), so that "U.S." stays a word.
_ENUMERATOR = (
    r"[-+>]|\\?\(\w{1,4}\\?\)"
    r"|\d{1,3}(?:\\?\.(?:\d{1,3}|[a-z]))*\\?[.)]"
    r"|[a-z](?:\\?\.\d{1,3}(?:\\?\.(?:\d{1,3}|[a-z]))*)?\\?[.)]|[ivxlc]{1,6}\\?[.)]"
    r"|(?:section|article|part|chapter)\s+\d{1,3}(?:\.\d{1,3})*\.?"
    r"|第\S{1,6}?[条條章节節]|[一二三四五六七八九十]{1,4}、"
)
_MARKERS = re.compile(
    rf"^[ \t]*(?:(?:(?:{_ENUMERATOR})(?=\s|$|[^\x00-\x7f])|[•·●▪◦■])[ \t]*)+",
    re.IGNORECASE | re.MULTILINE,
)
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
# Pages switch between curly and straight quotes without a new word. Regexes, not
# str.translate: several times faster on long texts, and searched for first.
_TYPOGRAPHY = re.compile("[\u2010-\u201f]")
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f]")
_DASHES = re.compile("[\u2010\u2011\u2013\u2014]")


def match_key(text: str) -> str:
    """The form of a provision's text that alignment compares (see the module doc)."""
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if _TYPOGRAPHY.search(text):
        text = _DASHES.sub("-", _DOUBLE_QUOTES.sub('"', _SINGLE_QUOTES.sub("'", text)))
    # Emphasis before markers ("**1.** Foo"), backslashes after ("1\\." is escaped);
    # str.replace and str.split rather than regexes: several times faster.
    for mark in "*_`#":
        text = text.replace(mark, " ")
    text = _MARKERS.sub("", text).replace("\\", "")
    return " ".join(text.split()).casefold()


# A version is aligned as the new side, then as the old side of its successor: the
# keys of its provisions are asked for twice, and a pure function of the text.
_recent_key = functools.lru_cache(maxsize=2048)(match_key)


def code_words(key: str, vocabulary: dict[str, str]) -> str:
    """One character per word, shared by both sides: rapidfuzz then compares word
    sequences at the speed of short strings. The first words seen (the commonest, as a
    rule) get codes under 256, which rapidfuzz compares fastest (a third less time)."""
    words = _WORD.findall(key)
    for word in dict.fromkeys(words):  # in order of appearance
        if word in vocabulary:
            continue
        code = len(vocabulary) + 1
        vocabulary[word] = chr(code if code < 0xD800 else code + 0x800)  # no surrogates
    return "".join(map(vocabulary.__getitem__, words))


class Side:
    """One version: sections, keys and word codes (made when first needed: most
    provisions pair by their raw text), and each provision's partner on the other side."""

    def __init__(self, provisions: Sequence[Segment], vocabulary: dict[str, str]) -> None:
        self.provisions = provisions
        self.size = len(provisions)  # read in hot loops: an attribute, not len()
        self.vocabulary = vocabulary
        paths = {p.heading_path for p in provisions}
        section_keys = {path: "\x1f".join(map(match_key, path)) for path in paths}
        self.sections = [section_keys[p.heading_path] for p in provisions]
        self._keys: list[str | None] = [None] * self.size
        self._words: list[str | None] = [None] * self.size
        self.partner: list[int | None] = [None] * self.size

    def free(self) -> list[int]:
        return [i for i, partner in enumerate(self.partner) if partner is None]

    def key(self, index: int) -> str:
        key = self._keys[index]
        if key is None:
            provision = self.provisions[index]
            # An empty section stands for its heading; \x00 keeps it apart from text.
            text = provision.text
            key = _recent_key(text) if text else "\x00" + match_key(provision.heading or "")
            self._keys[index] = key
        return key

    def words(self, index: int) -> str:
        words = self._words[index]
        if words is None:
            words = self._words[index] = code_words(self.key(index), self.vocabulary)
        return words
