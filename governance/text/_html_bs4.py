"""HTML to Markdown through BeautifulSoup(lxml), soupsieve and markdownify: the reference.

_html.py converts with lxml directly and returns exactly what this module returns; it
hands a page here when it cannot promise that (a selector it does not translate, a
doctype in the middle of the page, two root elements ...), so these rare pages still
come out as they always did. Imported only then: bs4 and markdownify stay out of a
worker's memory until a page needs them.

Ranges are cut on the serialised page at two marker strings and the cut is parsed
again: lxml closes the tags left open and drops the stray closing ones, which is close
to what a DOM Range clone gives and needs no tree surgery here.
"""

import re
import uuid
import warnings

import soupsieve
from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
    XMLParsedAsHTMLWarning,
)
from markdownify import MarkdownConverter

from governance.text.errors import ExtractionError
from governance.text.rules import ExtractionRules, RangeSelector, Selector, selector_label

# We always parse fetched content, never a file name or URL: a page whose whole text
# looks like one ("https://…") is still a page. bs4 itself suggests this filter.
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
# A page served as HTML is read as a browser reads it, even when it opens like XML.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

# Never text of the document. <head> goes too: its <title> is metadata, not a clause.
_NOISE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_NON_TEXT_NODES = (Comment, Declaration, Doctype, ProcessingInstruction)
_DATA_URI = re.compile(r"^\s*data:", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")

# ATX headings and "-" bullets are what segment() reads best; tables get a header row
# even without <th>, so they stay valid Markdown tables.
_CONVERTER = MarkdownConverter(
    heading_style="atx", bullets="-", escape_misc=False, table_infer_header=True
)

type Fragment = Tag | BeautifulSoup


def html_to_markdown(html: str, rules: ExtractionRules) -> str:
    """Markdown of the page, or of its selected parts joined in document order."""
    soup = _parse(html)
    _drop_noise(soup)
    # As Open Terms Archive does: remove the noise first, then select the significant parts.
    soup = _apply_remove(soup, rules.remove)
    fragments: list[Fragment] = _select(soup, rules.select) if rules.select else [soup]
    return "\n\n".join(md for md in map(_markdown, fragments) if md)


def _parse(html: str) -> BeautifulSoup:
    # Here too, not only at import: callers (and test runners) may reset the filters.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")


def _markdown(fragment: Fragment) -> str:
    # markdownify leaves extra blank lines after nested lists; one is all Markdown needs
    # (normalise() would collapse them anyway).
    return _BLANK_LINES.sub("\n\n", _CONVERTER.convert_soup(fragment)).strip()


def _drop_noise(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(_NOISE_TAGS):
        if not tag.decomposed:  # may sit inside one decomposed just before
            tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, _NON_TEXT_NODES)):
        node.extract()
    # Inline images as data: URIs would put kilobytes of base64 into the archived text.
    for img in soup.find_all("img", src=_DATA_URI):
        img.replace_with(NavigableString(str(img.get("alt") or "")))


def _apply_remove(soup: BeautifulSoup, selectors: tuple[Selector, ...]) -> BeautifulSoup:
    # Ranges first (as OTA): their marker elements may be among what CSS rules remove.
    for selector in selectors:
        if isinstance(selector, RangeSelector):
            cut = _cut_range(soup, selector)
            if cut is not None:  # removing noise that is not there is not an error
                before, _, after = cut
                soup = _parse(before + after)
    for selector in selectors:
        if isinstance(selector, str):
            for tag in soup.select(selector):
                if not tag.decomposed:
                    tag.decompose()
    return soup


def _select(soup: BeautifulSoup, selectors: tuple[Selector, ...]) -> list[Fragment]:
    order = {id(node): index for index, node in enumerate(soup.descendants)}
    pieces: list[tuple[int, Fragment]] = []
    unmatched: list[Selector] = []
    for selector in selectors:
        found = (
            _select_range(soup, selector, order)
            if isinstance(selector, RangeSelector)
            else [(order[id(tag)], tag) for tag in soup.select(selector)]
        )
        pieces.extend(found)
        if not found:
            unmatched.append(selector)
    if len(unmatched) == len(selectors):
        labels = ", ".join(selector_label(s) for s in unmatched)
        raise ExtractionError(f"none of the select rules matched: {labels}")
    return [fragment for _, fragment in _in_document_order(pieces)]


def _in_document_order(pieces: list[tuple[int, Fragment]]) -> list[tuple[int, Fragment]]:
    """Sorted, without repeats and without elements inside another selected element."""
    tags = {id(f) for _, f in pieces if not isinstance(f, BeautifulSoup)}
    kept: dict[int, tuple[int, Fragment]] = {}
    for position, fragment in pieces:
        nested = any(id(parent) in tags for parent in fragment.parents)
        if not nested:
            kept.setdefault(id(fragment), (position, fragment))
    return sorted(kept.values(), key=lambda piece: piece[0])


def _select_range(
    soup: BeautifulSoup, selector: RangeSelector, order: dict[int, int]
) -> list[tuple[int, Fragment]]:
    start = soup.select_one(selector.start)
    cut = _cut_range(soup, selector)
    if start is None or cut is None:
        return []
    return [(order[id(start)], _parse(cut[1]))]


def _cut_range(soup: BeautifulSoup, selector: RangeSelector) -> tuple[str, str, str] | None:
    """The page serialised and cut at the range boundaries: (before, inside, after)."""
    start = soup.select_one(selector.start)
    end = _end_after(start, selector) if start is not None else None
    if start is None or end is None:
        return None
    token = uuid.uuid4().hex  # cannot collide with page text
    opening, closing = NavigableString(f"{token}a"), NavigableString(f"{token}z")
    (start.insert_before if selector.start_inclusive else start.insert_after)(opening)
    (end.insert_after if selector.end_inclusive else end.insert_before)(closing)
    html = str(soup)
    opening.extract()
    closing.extract()
    before, _, rest = html.partition(str(opening))
    inside, found, after = rest.partition(str(closing))
    return (before, inside, after) if found else None


def _end_after(start: Tag, selector: RangeSelector) -> Tag | None:
    """The first end marker after the start boundary (OTA takes the first in the page;
    taking the first one after the start also works when the end marker repeats)."""
    pattern = soupsieve.compile(selector.end)
    for node in start.next_elements:
        if not isinstance(node, Tag) or not pattern.match(node):
            continue
        # with startAfter, an end marker inside the start marker lies before the range
        if selector.start_inclusive or not _is_inside(node, start):
            return node
    return None


def _is_inside(node: PageElement, ancestor: Tag) -> bool:
    return any(parent is ancestor for parent in node.parents)
