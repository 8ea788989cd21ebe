"""HTML to Markdown: drop the noise, apply the extraction rules, convert what is left.

lxml parses (lenient with broken markup, like a browser), cssselect turns the rules'
CSS into XPath, and _markdown.py writes the Markdown. The result is byte for byte what
the earlier BeautifulSoup + soupsieve + markdownify code gives (kept as _html_bs4.py),
at a fraction of the time and memory; a page or rule that this code cannot promise to
treat alike (see _html_tree.Unsupported) is handed to that code, imported only then.

Ranges are cut on the serialised page at two marker strings and the cut is parsed
again: lxml closes the tags left open and drops the stray closing ones, which is close
to what a DOM Range clone gives and needs no tree surgery here.
"""

import re
import uuid

from lxml import etree

from governance.text import _html_tree as tree
from governance.text._markdown import Document, convert
from governance.text.errors import ExtractionError
from governance.text.rules import ExtractionRules, RangeSelector, Selector, selector_label

_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")

type Fragment = etree._Element | Document


def html_to_markdown(html: str, rules: ExtractionRules) -> str:
    """Markdown of the page, or of its selected parts joined in document order."""
    if not tree.has_sentinels(html):
        try:
            return _html_to_markdown(html, rules)
        except ExtractionError:
            raise
        except Exception:  # noqa: S110 - Unsupported, or a failure the reference reports
            pass
    from governance.text import _html_bs4  # the reference: bs4 and markdownify load here

    return _html_bs4.html_to_markdown(html, rules)


def _html_to_markdown(html: str, rules: ExtractionRules) -> str:
    root = tree.parse(html)
    tree.drop_noise(root)
    tree.check_classes(root)
    # As Open Terms Archive does: remove the noise first, then select the significant parts.
    root = _apply_remove(root, rules.remove)
    fragments: list[Fragment] = _select(root, rules.select) if rules.select else [Document(root)]
    return "\n\n".join(md for md in map(_markdown, fragments) if md)


def _markdown(fragment: Fragment) -> str:
    # markdownify leaves extra blank lines after nested lists; one is all Markdown needs
    # (normalise() would collapse them anyway).
    return _BLANK_LINES.sub("\n\n", convert(fragment)).strip()


def _apply_remove(root: etree._Element, selectors: tuple[Selector, ...]) -> etree._Element:
    # Ranges first (as OTA): their marker elements may be among what CSS rules remove.
    for selector in selectors:
        if isinstance(selector, RangeSelector):
            cut = _cut_range(root, selector)
            if cut is not None:  # removing noise that is not there is not an error
                before, _, after = cut
                root = tree.parse(before + after)
    for selector in selectors:
        if isinstance(selector, str):
            for element in tree.select(root, selector):
                if element is root:
                    raise tree.Unsupported("a remove rule matching the root element")
                tree.remove(element)
    return root


def _select(root: etree._Element, selectors: tuple[Selector, ...]) -> list[Fragment]:
    order = {element: index for index, element in enumerate(root.iter())}
    pieces: list[tuple[int, Fragment]] = []
    unmatched: list[Selector] = []
    for selector in selectors:
        found = (
            _select_range(root, selector, order)
            if isinstance(selector, RangeSelector)
            else [(order[element], element) for element in tree.select(root, selector)]
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
    elements = {f for _, f in pieces if not isinstance(f, Document)}
    kept: dict[Fragment, tuple[int, Fragment]] = {}
    for position, fragment in pieces:
        nested = not isinstance(fragment, Document) and any(
            parent in elements for parent in fragment.iterancestors()
        )
        if not nested:
            kept.setdefault(fragment, (position, fragment))
    return sorted(kept.values(), key=lambda piece: piece[0])


def _select_range(
    root: etree._Element, selector: RangeSelector, order: dict
) -> list[tuple[int, Fragment]]:
    starts = tree.select(root, selector.start)
    cut = _cut_range(root, selector)
    if not starts or cut is None:
        return []
    return [(order[starts[0]], Document(tree.parse(cut[1])))]


def _cut_range(root: etree._Element, selector: RangeSelector) -> tuple[str, str, str] | None:
    """The page serialised and cut at the range boundaries: (before, inside, after)."""
    starts = tree.select(root, selector.start)
    end = _end_after(root, starts[0], selector) if starts else None
    if end is None:
        return None
    start = starts[0]
    token = uuid.uuid4().hex  # cannot collide with page text
    opening, closing = f"{token}a", f"{token}z"
    marks: dict = {}
    marks.setdefault(start, ["", ""])[0 if selector.start_inclusive else 1] += opening
    marks.setdefault(end, ["", ""])[1 if selector.end_inclusive else 0] += closing
    html = tree.serialise(root, marks)
    before, _, rest = html.partition(opening)
    inside, found, after = rest.partition(closing)
    return (before, inside, after) if found else None


def _end_after(
    root: etree._Element, start: etree._Element, selector: RangeSelector
) -> etree._Element | None:
    """The first end marker after the start boundary (OTA takes the first in the page;
    taking the first one after the start also works when the end marker repeats)."""
    ends = tree.select(root, selector.end)
    if not ends:
        return None
    order = {element: index for index, element in enumerate(root.iter())}
    for end in ends:
        if order[end] <= order[start]:
            continue
        # with startAfter, an end marker inside the start marker lies before the range
        if selector.start_inclusive or not any(p is start for p in end.iterancestors()):
            return end
    return None
