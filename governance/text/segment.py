"""Markdown text to provisions, each with the headings it sits under.

A provision is a paragraph, a top-level list item (with its continuation lines and
nested items), a table or a code block. Inside a paragraph block a new provision also
starts at a numbered line ("1\\.", "(1)", "一、…。") and after a line that ends a
sentence: converted pages separate paragraphs with <br> as often as with <p>, and
normalise() has removed the Markdown hard-break marks by then.

Headings are Markdown ATX/setext headings, bold-only lines ("**1. Definitions**") and
Chinese numbered headings (第N章 / 第N节 / 一、 / 第N条 / (一), also full-width). A heading alone is
never a provision; a heading with nothing at all under it yields one Segment with
empty text, so that no heading is lost. No text is lost: every non-whitespace
character of the input is in a heading or a provision, in order, except heading
markup (``#``, emphasis marks, setext underlines, thematic breaks, backslash escapes
in headings) — see ``segment_with_headings``.
"""

from dataclasses import dataclass

from governance.text import _lines as md


@dataclass(frozen=True)
class Segment:
    """One provision: its text (Markdown, stripped) and the headings above it."""

    heading_path: tuple[str, ...]
    text: str

    @property
    def heading(self) -> str | None:
        """The innermost heading, if any."""
        return self.heading_path[-1] if self.heading_path else None

    @property
    def is_empty_section(self) -> bool:
        """True for the placeholder of a heading with nothing under it."""
        return not self.text


@dataclass(frozen=True)
class Heading:
    """A heading where it opens; ``path`` ends with its own title."""

    path: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.path[-1]


def segment(markdown: str) -> list[Segment]:
    """The provisions of ``markdown`` in document order."""
    return [item for item in segment_with_headings(markdown) if isinstance(item, Segment)]


def segment_with_headings(markdown: str) -> list[Heading | Segment]:
    """Headings (where they open) and provisions, in document order.

    The stated property, checked by property tests: concatenating the titles and texts
    of these items gives the input's non-whitespace characters in order, less only
    markup characters (``# * _ = - \\``) that were dropped.
    """
    outline = _Outline()
    _Blocks(markdown.splitlines(), outline).run()
    return outline.finish()


@dataclass
class _Open:
    key: tuple[int, int]  # (Markdown level, rank below it): see _Outline
    title: str
    used: bool = False  # has a provision (or a sub-heading's placeholder) under it


class _Outline:
    """The stack of open headings.

    A Markdown heading of level N has key (N, 0). Any other heading has key (M, rank)
    where M is the level of the enclosing Markdown heading (0 if none): it nests one
    level below it, and ranks order those headings among themselves. A new heading
    closes every open heading whose key is not smaller than its own.
    """

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.items: list[Heading | Segment] = []

    def markdown_heading(self, level: int, title: str) -> None:
        self._push((level, 0), title)

    def pseudo_heading(self, rank: int, title: str) -> None:
        level = next((h.key[0] for h in reversed(self.stack) if h.key[1] == 0), 0)
        self._push((level, rank), title)

    def provision(self, text: str) -> None:
        text = text.strip()
        if text:
            self.items.append(Segment(self._path(), text))
            self._mark_used()

    def finish(self) -> list[Heading | Segment]:
        while self.stack:
            self._pop()
        return self.items

    def _push(self, key: tuple[int, int], title: str) -> None:
        if not title:  # "#" alone, "## **": markup without words
            return
        while self.stack and self.stack[-1].key >= key:
            self._pop()
        self.stack.append(_Open(key, title))
        self.items.append(Heading(self._path()))

    def _pop(self) -> None:
        if not self.stack[-1].used:
            self.items.append(Segment(self._path(), ""))
            self._mark_used()
        self.stack.pop()

    def _path(self) -> tuple[str, ...]:
        return tuple(h.title for h in self.stack)

    def _mark_used(self) -> None:
        for heading in self.stack:
            heading.used = True


_NONE, _PARA, _LIST, _TABLE, _FENCE = "none", "paragraph", "list", "table", "fence"


class _Blocks:
    """Reads lines, sends headings and finished provisions to the outline."""

    def __init__(self, lines: list[str], outline: _Outline) -> None:
        self.source = lines
        self.out = outline
        self.lines: list[str] = []  # the provision being read
        self.mode = _NONE
        self.list_indent = 0
        self.after_blank = False  # inside a list: a blank line came after the last line
        self.fence = ""
        self.run_rank: int | None = None  # rank of headings being read as a list (a TOC)
        self.in_run_item = False  # the provision being read is one such heading, alone

    def run(self) -> None:
        for index, line in enumerate(self.source):
            if self.mode == _FENCE:
                self._fence_line(line)
            elif md.is_blank(line):
                self._blank_line(line)
            elif self.mode == _LIST and self._list_line(line):
                continue
            elif self.mode == _TABLE and "|" in line:
                self.lines.append(line)
            else:
                self._block_line(index)
        self._flush()

    def _start(self, mode: str, line: str, *, run_item: bool = False) -> None:
        self.mode, self.lines, self.in_run_item = mode, [line], run_item

    def _flush(self) -> None:
        if self.lines:
            self.out.provision("\n".join(self.lines))
        self.lines, self.mode, self.after_blank = [], _NONE, False

    def _fence_line(self, line: str) -> None:
        self.lines.append(line)
        closing = md.FENCE.match(line)
        fence = closing[1] if closing else ""
        if (
            fence[:1] == self.fence[:1]
            and len(fence) >= len(self.fence)
            and not line.strip(" \t`~")
        ):
            self._flush()

    def _blank_line(self, line: str) -> None:
        if self.mode == _LIST:  # a list goes on after a blank line if indented text follows
            self.lines.append(line)
            self.after_blank = True
        else:
            self._flush()

    def _list_line(self, line: str) -> bool:
        """Consume ``line`` if it belongs to the list; False when the list is over."""
        indent = md.indent_of(line)
        if md.LIST_ITEM.match(line) and not md.THEMATIC_BREAK.match(line):
            if indent <= self.list_indent + 1:  # a new top-level item: a new provision
                list_indent = self.list_indent
                self._flush()
                self._start(_LIST, line)
                self.list_indent = list_indent
            else:
                self.lines.append(line)  # a nested item stays in its parent's provision
        elif self._ends_list(line, indent):
            return False
        else:
            self.lines.append(line)  # continuation (indented or lazy)
        self.after_blank = False
        return True

    def _ends_list(self, line: str, indent: int) -> bool:
        if self.after_blank:  # after a blank line only indented text continues an item
            return indent < self.list_indent + 2
        return indent <= self.list_indent and self._interrupts(line)

    def _interrupts(self, line: str) -> bool:
        return bool(
            md.ATX.match(line)
            or md.THEMATIC_BREAK.match(line)
            or md.FENCE.match(line)
            or line.lstrip().startswith("|")
            or md.pseudo_heading(line)
        )

    def _block_line(self, index: int) -> None:
        line = self.source[index]
        previous_run, self.run_rank = self.run_rank, None
        if atx := md.ATX.match(line):
            self._flush()
            self.out.markdown_heading(len(atx[1]), md.atx_title(atx))
        elif self.mode == _PARA and (setext := md.SETEXT.match(line)):
            title = self.lines.pop()
            self._flush()
            self.out.markdown_heading(1 if setext[1][0] == "=" else 2, md.clean_title(title))
        elif md.THEMATIC_BREAK.match(line):
            self._flush()  # the break itself is markup only
        elif fence := md.FENCE.match(line):
            self._flush()
            self._start(_FENCE, line)
            self.fence = fence[1]
        elif self._table_starts(index):
            self._flush()
            self._start(_TABLE, line)
        elif md.LIST_ITEM.match(line):
            self._flush()
            self._start(_LIST, line)
            self.list_indent = md.indent_of(line)
        elif not self._pseudo_heading_line(index, previous_run):
            self._paragraph_line(line)

    def _table_starts(self, index: int) -> bool:
        line = self.source[index]
        if line.lstrip().startswith("|"):
            return True
        following = self.source[index + 1] if index + 1 < len(self.source) else ""
        return "|" in line and md.TABLE_DELIMITER.match(following) is not None

    def _pseudo_heading_line(self, index: int, previous_run: int | None) -> bool:
        """Handle a bold-only or Chinese-numbered heading line; False if it is not one."""
        heading = md.pseudo_heading(self.source[index])
        if heading is None:
            return False
        self._flush()
        if not heading.body and (
            previous_run == heading.rank or self._next_is_heading_of_rank(index, heading.rank)
        ):
            # Same-rank headings with nothing between them are a list (a table of
            # contents, say): each is an item, not an empty section.
            self.run_rank = heading.rank
            self._start(_PARA, self.source[index], run_item=True)
            return True
        self.out.pseudo_heading(heading.rank, heading.title)
        if heading.body:  # "第一条 本协议……": the article's text starts on its line
            self._start(_PARA, heading.body)
        return True

    def _next_is_heading_of_rank(self, index: int, rank: int) -> bool:
        for following in range(index + 1, len(self.source)):
            line = self.source[following]
            if not md.is_blank(line):
                heading = md.pseudo_heading(line)
                return heading is not None and not heading.body and heading.rank == rank
        return False

    def _paragraph_line(self, line: str) -> None:
        continues = (
            self.mode == _PARA
            and not self.in_run_item  # a list of headings: the text after it is new
            and not md.ENUMERATOR.match(line)
            and not md.SENTENCE_END.search(self.lines[-1])
        )
        if continues:
            self.lines.append(line)
        else:
            self._flush()
            self._start(_PARA, line)
