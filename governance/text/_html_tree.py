"""The page as an lxml tree, built and cleaned to match the BeautifulSoup(lxml) tree.

BeautifulSoup with the "lxml" feature is lxml's own parser (libxml2) feeding bs4's
tree: the structure is libxml2's either way. What bs4 adds, and what this module
reproduces so that the Markdown comes out the same (_html_bs4.py is the reference):

- a text of ASCII whitespace only becomes one "\\n" (if it had a line break) or one
  space, except inside <pre> and <textarea>;
- removing an element (noise, a ``remove`` selector) leaves the texts before and after
  it as two strings, which the Markdown conversion treats separately (whitespace at
  block boundaries). lxml would merge them into one text: BOUNDARY marks the seam;
- a data: image becomes a string of its own, possibly empty: EMPTY stands for that.

Anything this module cannot reproduce raises Unsupported, and the caller hands the
page to the BeautifulSoup code instead.
"""

import functools
import re

from cssselect import HTMLTranslator, SelectorError
from cssselect import parse as css_parse
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash, Negation, Pseudo
from lxml import etree

# Noncharacters: never in a page's text unless the page spells them out, which
# has_sentinels() checks (then the page goes the BeautifulSoup way).
BOUNDARY = "\ufdd0"
EMPTY = "\ufdd1"
_SENTINEL_REFERENCE = re.compile(r"&#(?:[xX]0*[fF][dD][dD][01]|0*6497[67])(?![0-9])")

# Never text of the document. <head> goes too: its <title> is metadata, not a clause.
NOISE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_DATA_URI = re.compile(r"^\s*data:", re.IGNORECASE)
_ASCII_SPACES = " \n\t\x0c\r"
_PRESERVE_WHITESPACE = ("pre", "textarea")
# bs4 serialises these as <br/> when empty (and the reparse must see the same markup).
_VOID = frozenset(
    {
        "area",
        "base",
        "basefont",
        "bgsound",
        "br",
        "col",
        "command",
        "embed",
        "frame",
        "hr",
        "image",
        "img",
        "input",
        "isindex",
        "keygen",
        "link",
        "menuitem",
        "meta",
        "nextid",
        "param",
        "source",
        "spacer",
        "track",
        "wbr",
    }
)
# A doctype anywhere but at the start is a node of bs4's tree (splitting the text around
# it) and nothing in lxml's; bs4 also splits class="a\u00a0b" where XPath does not.
_LEADING_DOCTYPE = re.compile(r"\s*(?:(?:<!--.*?-->|<\?[^>]*>)\s*)*<!doctype", re.I | re.S)
_ODD_SPACE = re.compile(r"[^\S \t\r\n]")


class Unsupported(Exception):
    """This page or rule is one the lxml path cannot promise to convert like bs4."""


def has_sentinels(html: str) -> bool:
    return (
        BOUNDARY in html or EMPTY in html or _SENTINEL_REFERENCE.search(html) is not None
    )  # "&#" first: a fast scan


def parse(html: str) -> etree._Element:
    """The root element, with bs4's whitespace rule applied; Unsupported if unlike bs4."""
    if html[:1] == "\ufeff":  # bs4 drops a leading byte order mark
        html = html[1:]
    lowered = html.lower()  # one pass in C; a case-insensitive regex scan is far slower
    doctype = lowered.find("<!doctype")
    if doctype >= 0 and (
        not _LEADING_DOCTYPE.match(html) or lowered.find("<!doctype", doctype + 9) >= 0
    ):
        raise Unsupported("a doctype inside the page")
    parser = etree.HTMLParser(recover=True)
    try:
        parser.feed(html)
        root = parser.close()
    except etree.LxmlError as exc:
        raise Unsupported(f"lxml refused the page ({exc})") from None
    if root is None:
        raise Unsupported("no element")
    # Content after </html> makes a second root element; bs4 keeps text between the two
    # roots that lxml drops.
    for step in (etree._Element.getprevious, etree._Element.getnext):
        sibling = step(root)
        while sibling is not None:
            if isinstance(sibling.tag, str):
                raise Unsupported("two root elements")
            sibling = step(sibling)
    _collapse_whitespace(root)
    return root


def _collapse_whitespace(root: etree._Element) -> None:
    preserved: set = set()
    for element in root.iter(*_PRESERVE_WHITESPACE):
        preserved.update(element.iter())
    for node in root.iter():
        if isinstance(node.tag, str):  # an element's own text (not a comment's)
            text = node.text
            if text and not text.strip(_ASCII_SPACES) and node not in preserved:
                collapsed = "\n" if "\n" in text else " "
                if text != collapsed:
                    node.text = collapsed
        tail = node.tail
        if (
            tail
            and not tail.strip(_ASCII_SPACES)
            and node is not root
            and node.getparent() not in preserved
        ):
            collapsed = "\n" if "\n" in tail else " "
            if tail != collapsed:
                node.tail = collapsed


def drop_noise(root: etree._Element) -> None:
    """Noise elements, comments and processing instructions out; data: images to alt text."""
    noise, images = [], []
    for node in root.iter(*NOISE_TAGS, "img", etree.Comment, etree.ProcessingInstruction):
        if node.tag != "img":
            noise.append(node)
        else:
            src = node.get("src")
            if src is not None and _DATA_URI.search(src):
                images.append(node)
    # Noise before comments and images, as the bs4 code does (the order of the seams
    # left behind does not matter: each removal marks its own).
    noise.sort(key=lambda node: not isinstance(node.tag, str))
    for node in noise:
        remove(node)
    for image in images:
        # Inline images as data: URIs would put kilobytes of base64 into the text.
        remove(image, BOUNDARY + (image.get("alt") or EMPTY) + BOUNDARY)


def remove(node: etree._Element, replacement: str = "") -> None:
    """Take ``node`` out; its tail stays in place, as a string of its own."""
    parent = node.getparent()
    if parent is None:  # inside something removed already
        return
    joined = BOUNDARY + replacement + (node.tail or "")
    node.tail = None
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(node)


def strings(text: str | None) -> tuple[str, ...]:
    """The separate strings bs4 would hold where lxml has the one text ``text``."""
    if not text:
        return ()
    if BOUNDARY not in text:
        return (text,)
    return tuple("" if part == EMPTY else part for part in text.split(BOUNDARY) if part)


# --- CSS --------------------------------------------------------------------------------

# Only what cssselect (XPath) and soupsieve (on bs4's tree) are known to match alike:
# type, #id, .class, a few attribute tests, the four combinators, :not() of those and
# :first/last/only-child. Anything else goes the bs4 way.
_ATTRIBUTE_OPERATORS = frozenset({"exists", "=", "^=", "$=", "*="})
_PSEUDO_CLASSES = frozenset({"first-child", "last-child", "only-child"})
# soupsieve compares these as bs4 keeps them: split into lists (class, rel ...) or,
# in HTML, case-insensitively (type, lang ...).
_ODD_ATTRIBUTES = frozenset(
    {
        "class",
        "accesskey",
        "dropzone",
        "rel",
        "rev",
        "headers",
        "accept-charset",
        "archive",
        "sizes",
        "sandbox",
        "for",
        "accept",
        "align",
        "alink",
        "axis",
        "bgcolor",
        "charset",
        "checked",
        "clear",
        "codetype",
        "color",
        "compact",
        "declare",
        "defer",
        "dir",
        "direction",
        "disabled",
        "enctype",
        "face",
        "frame",
        "hreflang",
        "http-equiv",
        "lang",
        "language",
        "link",
        "media",
        "method",
        "multiple",
        "nohref",
        "noresize",
        "noshade",
        "nowrap",
        "readonly",
        "rules",
        "scope",
        "scrolling",
        "selected",
        "shape",
        "target",
        "text",
        "type",
        "valign",
        "valuetype",
        "vlink",
    }
)
_TRANSLATOR = HTMLTranslator()


def _translatable(node: object, *, simple: bool = False) -> bool:
    match node:
        case Element():
            return node.namespace is None
        case Hash() | Class():
            return _translatable(node.selector, simple=simple)
        case Attrib():
            value = getattr(node.value, "value", node.value)
            return (
                node.namespace is None
                and node.operator in _ATTRIBUTE_OPERATORS
                and node.attrib.lower() not in _ODD_ATTRIBUTES
                and (node.operator == "exists" or bool(value))
                and _translatable(node.selector, simple=simple)
            )
        case CombinedSelector():
            return (
                not simple
                and node.combinator in " >+~"
                and _translatable(node.selector)
                and _translatable(node.subselector)
            )
        case Negation():
            return _translatable(node.selector, simple=simple) and _translatable(
                node.subselector, simple=True
            )
        case Pseudo():
            return node.ident in _PSEUDO_CLASSES and _translatable(node.selector, simple=simple)
    return False


@functools.lru_cache(maxsize=1024)
def _compiled(selector: str) -> etree.XPath | None:
    try:
        parsed = css_parse(selector)
    except SelectorError:
        return None
    if not all(p.pseudo_element is None and _translatable(p.parsed_tree) for p in parsed):
        return None
    return etree.XPath(
        " | ".join(_TRANSLATOR.selector_to_xpath(p, prefix="descendant-or-self::") for p in parsed)
    )


def select(root: etree._Element, selector: str) -> list[etree._Element]:
    """Elements matching ``selector`` in document order, the root included (as soupsieve)."""
    xpath = _compiled(selector)
    if xpath is None:
        raise Unsupported(f"selector {selector!r}")
    return xpath(root)


def check_classes(root: etree._Element) -> None:
    for value in root.xpath("//@class"):
        if _ODD_SPACE.search(value):
            raise Unsupported("a class attribute with non-ASCII whitespace")


# --- serialising, for ranges ------------------------------------------------------------


def serialise(root: etree._Element, marks: dict) -> str:
    """The page as bs4's str() writes it, with ``marks[element] = (before, after)`` strings
    written around those elements; the seams and empty-string markers are left out."""
    out: list[str] = []
    _write(root, marks, out)
    return "".join(out).replace(BOUNDARY, "").replace(EMPTY, "")


def _write(element: etree._Element, marks: dict, out: list[str]) -> None:
    before, after = marks.get(element, ("", ""))
    out.append(before)
    out.append("<" + element.tag)
    for key, value in sorted(element.attrib.items()):  # bs4's formatter sorts them
        out.append(" " + key + "=" + _quoted(_escape(value)))
    empty = element.text is None and len(element) == 0
    if empty and element.tag in _VOID:
        out.append("/>")
    else:
        out.append(">")
        if element.text:
            out.append(_escape(element.text))
        for child in element:
            _write(child, marks, out)
        out.append("</" + element.tag + ">")
    out.append(after)
    if element.tail:
        out.append(_escape(element.tail))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quoted(value: str) -> str:
    if '"' not in value:
        return '"' + value + '"'
    if "'" not in value:
        return "'" + value + "'"
    return '"' + value.replace('"', "&quot;") + '"'
