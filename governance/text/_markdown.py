"""Markdown of an lxml tree: markdownify's conversion, rule for rule, without bs4.

markdownify (with the options _html_bs4.py gives it: ATX headings, "-" bullets, no
escaping but * and _, tables with an inferred header row) decides most of its
whitespace from a text's neighbours: a text beside a block element loses its leading or
trailing whitespace, a whitespace-only text at a block's edge is dropped. bs4 holds texts
as nodes of their own; here they are the strings of _html_tree.strings(), and a text's
neighbours are the items next to it in its parent's list. Every function below mirrors
the markdownify function of the same name; keep them in step when markdownify changes
(tests/text/test_extract_markdown.py compares the two on many pages).
"""

import functools
import re

from lxml import etree

from governance.text._html_tree import Unsupported, strings

DOCUMENT = "[document]"

_HEADING = re.compile(r"h(\d+)")
_BLOCK = frozenset(
    {
        "p",
        "blockquote",
        "article",
        "div",
        "section",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    }
)
_NOFORMAT = frozenset({"pre", "code", "kbd", "samp"})
_LINE = re.compile(r"^(.*)", flags=re.MULTILINE)
_WHITESPACE = re.compile(r"[\t ]+")
_ALL_WHITESPACE = re.compile(r"[\t \r\n]+")
_NEWLINE_WHITESPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_PRE_LSTRIP = re.compile(r"^[ \n]*\n")
_PRE_RSTRIP = re.compile(r"[ \n]*$")
_BACKTICKS = re.compile(r"`+")

type Item = str | etree._Element


class Document:
    """A parsed page as a whole (bs4's BeautifulSoup object): its root element inside."""

    def __init__(self, root: etree._Element):
        self.root = root


def convert(fragment: Document | etree._Element) -> str:
    if isinstance(fragment, Document):
        return _tag(None, DOCUMENT, [fragment.root], frozenset(), in_pre=False)
    in_pre = next(fragment.iterancestors("pre"), None) is not None
    return _tag(fragment, fragment.tag, _items(fragment), frozenset(), in_pre=in_pre)


def _items(element: etree._Element) -> list[Item]:
    items: list[Item] = [*strings(element.text)]
    for child in element:
        if not isinstance(child.tag, str):  # comments were all removed before
            raise Unsupported("a comment in the tree")
        items.append(child)
        items.extend(strings(child.tail))
    return items


def _block_inside(name: str | None) -> bool:
    """should_remove_whitespace_inside"""
    return name is not None and (name in _BLOCK or _HEADING.match(name) is not None)


def _block_outside(item: Item | None) -> bool:
    """should_remove_whitespace_outside, of a neighbour (a text is never a block)."""
    if item is None or isinstance(item, str):
        return False
    return item.tag == "pre" or _block_inside(item.tag)


def _absent(item: Item | None) -> bool:
    # bs4's "not el.previous_sibling": no sibling, or an empty string (a Tag is truthy)
    return item is None or (isinstance(item, str) and not item)


def _tag(node, name: str, items: list[Item], parent_tags: frozenset, *, in_pre: bool) -> str:
    """process_tag"""
    inside = _block_inside(name)
    tags = {*parent_tags, name}
    if _HEADING.match(name) is not None or name in ("td", "th"):
        tags.add("_inline")
    if name in _NOFORMAT:
        tags.add("_noformat")
    child_tags = frozenset(tags)
    child_in_pre = in_pre or name == "pre"
    parts = []
    last = len(items) - 1
    for index, item in enumerate(items):
        if isinstance(item, str):
            before = items[index - 1] if index else None
            after = items[index + 1] if index < last else None
            if not item.strip() and (
                (inside and (_absent(before) or _absent(after)))
                or _block_outside(before)
                or _block_outside(after)
            ):
                continue
            part = _text(item, before, after, inside, child_tags)
        else:
            part = _tag(item, item.tag, _items(item), child_tags, in_pre=child_in_pre)
        if part:
            parts.append(part)
    text = "".join(parts) if child_in_pre else _join_collapsing_newlines(parts)
    convert_fn = _converter(name)
    return convert_fn(node, text, parent_tags) if convert_fn is not None else text


def _join_collapsing_newlines(parts: list[str]) -> str:
    if len(parts) < 2:  # nothing to collapse between
        return parts[0] if parts else ""
    updated = [""]
    for part in parts:
        if part[0] != "\n" and part[-1] != "\n":
            leading, content, trailing = "", part, ""
        else:
            rest = part.lstrip("\n")
            leading = part[: len(part) - len(rest)]
            content = rest.rstrip("\n")
            trailing = rest[len(content) :]
        if updated[-1] and leading:
            previous = updated.pop()
            leading = "\n" * min(2, max(len(previous), len(leading)))
        updated.extend((leading, content, trailing))
    return "".join(updated)


def _text(
    text: str,
    before: Item | None,
    after: Item | None,
    parent_is_block: bool,
    parent_tags: frozenset,
) -> str:
    """process_text"""
    if "pre" not in parent_tags:
        # the substitutions change nothing in most texts: skip them then (a third of the time)
        if "\n" in text or "\r" in text:
            text = _NEWLINE_WHITESPACE.sub("\n", text)
        if "\t" in text or "  " in text:
            text = _WHITESPACE.sub(" ", text)
    if "_noformat" not in parent_tags and text:
        text = text.replace("*", r"\*").replace("_", r"\_")
    if _block_outside(before) or (parent_is_block and _absent(before)):
        text = text.lstrip(" \t\r\n")
    if _block_outside(after) or (parent_is_block and _absent(after)):
        text = text.rstrip()
    return text


def _chomp(text: str) -> tuple[str, str, str]:
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    return prefix, suffix, text.strip()


def _inline(markup: str):
    def convert_fn(node, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = _chomp(text)
        if not text:
            return ""
        return f"{prefix}{markup}{text}{markup}{suffix}"

    return convert_fn


def _a(node, text, parent_tags):
    if "_noformat" in parent_tags:
        return text
    prefix, suffix, text = _chomp(text)
    if not text:
        return ""
    href, title = node.get("href"), node.get("title")
    if text.replace(r"\_", "_") == href and not title:
        return f"<{href}>"
    title_part = ' "{}"'.format(title.replace('"', r"\"")) if title else ""
    return f"{prefix}[{text}]({href}{title_part}){suffix}" if href else text


def _blockquote(node, text, parent_tags):
    text = (text or "").strip(" \t\r\n")
    if "_inline" in parent_tags:
        return " " + text + " "
    if not text:
        return "\n"
    text = _LINE.sub(lambda m: "> " + m.group(1) if m.group(1) else ">", text)
    return "\n" + text + "\n\n"


def _br(node, text, parent_tags):
    if "_inline" in parent_tags:
        return text + " " if text else " "
    return "  \n" + text


def _code(node, text, parent_tags):
    if "_noformat" in parent_tags:
        return text
    prefix, suffix, text = _chomp(text)
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    delimiter = "`" * (longest + 1)
    if longest > 0:
        text = " " + text + " "
    return f"{prefix}{delimiter}{text}{delimiter}{suffix}"


def _div(node, text, parent_tags):
    if "_inline" in parent_tags:
        return " " + text.strip() + " "
    text = text.strip()
    return f"\n\n{text}\n\n" if text else ""


def _dd(node, text, parent_tags):
    text = (text or "").strip()
    if "_inline" in parent_tags:
        return " " + text + " "
    if not text:
        return "\n"
    text = _LINE.sub(lambda m: "    " + m.group(1) if m.group(1) else "", text)
    return ":" + text[1:] + "\n"


def _dt(node, text, parent_tags):
    text = _ALL_WHITESPACE.sub(" ", (text or "").strip())
    if "_inline" in parent_tags:
        return " " + text + " "
    if not text:
        return "\n"
    return f"\n\n{text}\n"


def _heading(level: int):
    def convert_fn(node, text, parent_tags):
        if "_inline" in parent_tags:
            return text
        text = _ALL_WHITESPACE.sub(" ", text.strip())
        return f"\n\n{'#' * max(1, min(6, level))} {text}\n\n"

    return convert_fn


def _img(node, text, parent_tags):
    alt = node.get("alt") or ""
    if "_inline" in parent_tags:
        return alt
    title = node.get("title") or ""
    title_part = ' "{}"'.format(title.replace('"', r"\"")) if title else ""
    return f"![{alt}]({node.get('src') or ''}{title_part})"


def _video(node, text, parent_tags):
    if "_inline" in parent_tags:
        return text
    src = node.get("src") or ""
    if not src:
        sources = [s for s in node.iter("source") if s is not node and s.get("src") is not None]
        if sources:
            src = sources[0].get("src") or ""
    poster = node.get("poster") or ""
    if src and poster:
        return f"[![{text}]({poster})]({src})"
    if src:
        return f"[{text}]({src})"
    if poster:
        return f"![{text}]({poster})"
    return text


def _list(node, text, parent_tags):
    following = _next_block_content_sibling(node)
    before_paragraph = following is not None and (
        isinstance(following, str) or following.tag not in ("ul", "ol")
    )
    if "li" in parent_tags:
        return "\n" + text.rstrip()
    return "\n\n" + text + ("\n" if before_paragraph else "")


def _next_block_content_sibling(node) -> Item | None:
    for text in strings(node.tail):
        if text.strip():
            return text
    return node.getnext()


def _li(node, text, parent_tags):
    text = (text or "").strip()
    if not text:
        return "\n"
    parent = node.getparent()
    if parent is not None and parent.tag == "ol":
        start = parent.get("start")
        first = int(start) if start and start.isnumeric() else 1
        bullet = f"{first + sum(1 for _ in node.itersiblings('li', preceding=True))}. "
    else:
        bullet = "- "  # one bullet character for every depth
    indent = " " * len(bullet)
    text = _LINE.sub(lambda m: indent + m.group(1) if m.group(1) else "", text)
    return bullet + text[len(bullet) :] + "\n"


def _p(node, text, parent_tags):
    if "_inline" in parent_tags:
        return " " + text.strip(" \t\r\n") + " "
    text = text.strip(" \t\r\n")
    return f"\n\n{text}\n\n" if text else ""


def _pre(node, text, parent_tags):
    if not text:
        return ""
    text = _PRE_RSTRIP.sub("", _PRE_LSTRIP.sub("", text))
    return f"\n\n```\n{text}\n```\n\n"


def _colspan(cell) -> int:
    value = cell.get("colspan")
    return max(1, min(1000, int(value))) if value is not None and value.isdigit() else 1


def _cell(node, text, parent_tags):
    return " " + text.strip().replace("\n", " ") + " |" * _colspan(node)


def _tr(node, text, parent_tags):
    cells = list(node.iter("td", "th"))
    parent = node.getparent()
    first_row = node.getprevious() is None
    head_row = all(cell.tag == "th" for cell in cells) or (
        parent.tag == "thead" and sum(1 for _ in parent.iter("tr")) == 1
    )
    grandparent = parent.getparent()
    head_row_missing = (first_row and parent.tag != "tbody") or (
        first_row
        and parent.tag == "tbody"
        and not any(t is not grandparent for t in _iter(grandparent, "thead"))
    )
    width = sum(_colspan(cell) for cell in cells)
    overline = underline = ""
    if (head_row or head_row_missing) and first_row:
        underline = "| " + " | ".join(["---"] * width) + " |\n"
    elif first_row and (
        parent.tag == "table" or (parent.tag == "tbody" and parent.getprevious() is None)
    ):
        overline = "| " + " | ".join([""] * width) + " |\n"
        overline += "| " + " | ".join(["---"] * width) + " |\n"
    return overline + "|" + text + "\n" + underline


def _iter(node, tag: str):
    return node.iter(tag) if node is not None else ()


def _document(node, text, parent_tags):
    return text.strip("\n")


def _unsupported(node, text, parent_tags):
    # markdownify would call its convert_soup() for a <soup> tag and fail: let it.
    raise Unsupported("a <soup> element")


_CONVERTERS = {
    DOCUMENT: _document,
    "a": _a,
    "b": _inline("**"),
    "strong": _inline("**"),
    "em": _inline("*"),
    "i": _inline("*"),
    "del": _inline("~~"),
    "s": _inline("~~"),
    "sub": _inline(""),
    "sup": _inline(""),
    "blockquote": _blockquote,
    "br": _br,
    "code": _code,
    "kbd": _code,
    "samp": _code,
    "div": _div,
    "article": _div,
    "section": _div,
    "dl": _div,
    "dd": _dd,
    "dt": _dt,
    "hr": lambda node, text, parent_tags: "\n\n---\n\n",
    "img": _img,
    "video": _video,
    "list": _list,
    "ul": _list,
    "ol": _list,
    "li": _li,
    "p": _p,
    "pre": _pre,
    "q": lambda node, text, parent_tags: '"' + text + '"',
    "script": lambda node, text, parent_tags: "",
    "style": lambda node, text, parent_tags: "",
    "table": lambda node, text, parent_tags: "\n\n" + text.strip() + "\n\n",
    "caption": lambda node, text, parent_tags: text.strip() + "\n\n",
    "figcaption": lambda node, text, parent_tags: "\n\n" + text.strip() + "\n\n",
    "td": _cell,
    "th": _cell,
    "tr": _tr,
    "soup": _unsupported,
}


@functools.lru_cache(maxsize=512)
def _converter(name: str):
    """markdownify's get_conv_fn: convert_<name>, else convert_hN for h1, h2 ..."""
    heading = _HEADING.match(name)
    return _CONVERTERS.get(name) or (
        _heading(int(heading.group(1))) if heading is not None else None
    )
