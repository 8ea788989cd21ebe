"""What one Markdown line is, for segment(): heading, list item, table row, fence...

Line-based on purpose: segment() needs every character of the input to land in a
heading or a provision, and needs Chinese numbered headings, which no Markdown parser
knows. Only the block-level syntax that converters (markdownify, turndown) emit is read.
"""

# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

import re
from dataclasses import dataclass

CN_NUMERAL = "零〇一二三四五六七八九十百千两"
_N = rf"(?:[0-9]{{1,4}}|[{CN_NUMERAL}]{{1,6}})"  # an article number: 12 or 十二

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]+|$)")
TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
# Lines that start a new item inside a paragraph: "1\.", "1、", "(a)", "(一)", "•"...
ENUMERATOR = re.compile(
    rf"^[ \t]*(?:[0-9]{{1,3}}(?:\\?\.[0-9]{{1,3}})*(?:\\?[.)](?=[ \t]|$)|[．、])"
    rf"|[0-9]{{1,3}}(?:\\?\.[0-9]{{1,3}})+(?=[ \t])"
    rf"|[（(][ \t]*(?:[0-9]{{1,3}}|[a-zA-Z]|[ivxIVX]{{1,5}}|[{CN_NUMERAL}]{{1,4}})[ \t]*[）)]"
    rf"|[{CN_NUMERAL}]{{1,4}}[ \t]*、|[a-z]\)(?=[ \t])|[•·●▪◦■◆▶►‣⁃])"
)
# A line that ends a sentence; the next line of the block starts a new provision.
SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)）\]】*_]*[ \t]*$")

_BOLD_ONLY = re.compile(r"^[ \t]*(\*\*|__)(?P<inner>(?:(?!\1).)+?)\1[ \t]*$")
_CHAPTER = re.compile(rf"^第[ \t]*{_N}[ \t]*(?P<unit>[章节節编編])(?=[ \t]|$|[：:、.．])")
_ARTICLE = re.compile(
    rf"^(?:\*\*|__)?(?P<title>第[ \t]*{_N}[ \t]*[条條])(?:\*\*|__)?(?=[ \t]|$|[：:、.．*_])"
    r"[ \t]*(?P<body>.*)$"  # a colon after the number stays, in the body: no text is lost
)
_CN_SECTION = re.compile(rf"^[{CN_NUMERAL}]{{1,4}}[ \t]*、[ \t]*(?P<rest>.+)$")
_CN_SUBSECTION = re.compile(rf"^[（(][ \t]*[{CN_NUMERAL}]{{1,4}}[ \t]*[）)][ \t]*(?P<rest>.+)$")
_NUMBERED = re.compile(
    r"^(?:[0-9]{1,3}(?:\\?\.[0-9]{1,3})*\\?[.)]?|(?:section|article|part|chapter)\s+[0-9])[ \t]",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(?P<inner>.+)\1$")
# Headings are short labels; a line ending like a sentence is text, not a heading.
_NOT_A_HEADING_END = tuple("。；;，,！!？?.")
MAX_PSEUDO_HEADING = 120
MAX_CN_HEADING = 60

# Ranks of headings that are not Markdown headings, outermost first. They nest one
# level below the enclosing Markdown heading; their order among themselves is the
# usual one in Chinese legal texts (章 > 节 > 一、 > 第N条 > (一)), then bold labels.
RANK_CHAPTER, RANK_SECTION, RANK_CN_SECTION, RANK_ARTICLE = 1, 2, 3, 4
RANK_CN_SUBSECTION, RANK_BOLD_NUMBERED, RANK_BOLD = 5, 6, 7


@dataclass(frozen=True, slots=True)
class PseudoHeading:
    rank: int
    title: str
    body: str = ""  # text after "第N条" on the same line: it belongs to the provision


def clean_title(title: str) -> str:
    """Heading text without Markdown: surrounding emphasis and backslash escapes."""
    title = title.strip()
    for _ in range(2):  # "***x***" is strong + emphasis
        match = _EMPHASIS.match(title)
        if match is None or not match["inner"].strip():
            break
        title = match["inner"].strip()
    return _ESCAPE.sub(r"\1", title).strip()


def _heading_like(text: str, limit: int) -> bool:
    text = text.strip()
    return 0 < len(text) <= limit and not text.endswith(_NOT_A_HEADING_END)


def pseudo_heading(line: str) -> PseudoHeading | None:
    """A bold-only line or a Chinese numbered heading; None for anything else."""
    stripped = line.strip()
    bold = _BOLD_ONLY.match(stripped)
    inner = bold["inner"].strip() if bold else stripped
    article = _ARTICLE.match(inner)
    if article is not None:
        return PseudoHeading(RANK_ARTICLE, clean_title(article["title"]), article["body"].strip())
    chapter = _CHAPTER.match(inner)
    if chapter is not None and _heading_like(inner, MAX_CN_HEADING):
        rank = RANK_SECTION if chapter["unit"] in "节節" else RANK_CHAPTER
        return PseudoHeading(rank, clean_title(inner))
    for pattern, rank in ((_CN_SECTION, RANK_CN_SECTION), (_CN_SUBSECTION, RANK_CN_SUBSECTION)):
        match = pattern.match(inner)
        if match is not None:
            if not _heading_like(match["rest"], MAX_CN_HEADING):
                return None  # "一、用户应当遵守……。" is a numbered clause, not a heading
            return PseudoHeading(rank, clean_title(inner))
    if bold is not None and _heading_like(inner, MAX_PSEUDO_HEADING):
        rank = RANK_BOLD_NUMBERED if _NUMBERED.match(inner) else RANK_BOLD
        return PseudoHeading(rank, clean_title(inner))
    return None


def atx_title(match: re.Match[str]) -> str:
    return clean_title(match[2] or "")


def indent_of(line: str) -> int:
    """Leading indentation width, a tab counting as four columns (CommonMark)."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def is_blank(line: str) -> bool:
    return not line.strip()
