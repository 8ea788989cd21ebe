"""One canonical form for document text, so that equal wording hashes equal.

``normalise`` removes differences a reader cannot see (line-ending style, kinds of
space, zero-width characters, trailing spaces, extra blank lines) and nothing else.
It is idempotent: ``normalise(normalise(x)) == normalise(x)`` for every string.
"""

import hashlib
import re
import unicodedata

# Every line boundary str.splitlines() knows, so no "line" hides inside another.
# "\r\n" is replaced first (str.replace); then any of these alone is a break. One
# character class, not an alternation: the regex engine then skips ahead to candidates.
_LINE_BREAK = re.compile(r"[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

# Unicode category Zs (space separators) other than U+0020: NBSP, en/em spaces, thin
# space, narrow NBSP, ideographic space... The list is stable since Unicode 6.3; a test
# checks it against unicodedata.
SPACE_SEPARATORS = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)

# Invisible characters that come and go between fetches of the same page: zero-width
# space, word joiner, BOM / zero-width no-break space, soft hyphen, Mongolian vowel
# separator. ZWJ and ZWNJ stay: they change how emoji and some scripts render.
INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e"

# Regexes rather than str.translate: several times faster on long texts. One pass
# finds both kinds; the replacement depends on which it found.
_SPACE_OR_INVISIBLE = re.compile(f"[{SPACE_SEPARATORS}{INVISIBLE}]")
_INVISIBLE_SET = frozenset(INVISIBLE)
# A run of spaces/tabs after a visible character (so inside a line, never the
# indentation) that is not already a single space. Applied line by line, only to
# lines that hold two spaces or a tab: a regex over the whole text would try a
# match at every one of its characters.
_INNER_SPACE = re.compile(r"(?<=[^ \t\n])(?: [ \t]+|\t[ \t]*)")
# "\n\n\n+" rather than "\n{3,}": a literal prefix the engine searches for quickly.
_BLANK_LINES = re.compile(r"\n\n\n+")


def _space_or_invisible(match: re.Match[str]) -> str:
    return "" if match.group() in _INVISIBLE_SET else " "


def _line_spaces(line: str) -> str:
    line = line.rstrip(" \t")
    if "  " in line or "\t" in line:
        return _INNER_SPACE.sub(" ", line)
    return line


def normalise(text: str) -> str:
    """Canonical text: see the module docstring; the order of the steps matters.

    1. every line break becomes ``\\n``;
    2. invisible characters are removed and Unicode spaces become ``" "`` (before NFC:
       removing a zero-width space between a letter and a combining accent must not
       leave a sequence NFC would compose on a second pass);
    3. NFC;
    4. trailing spaces/tabs are removed; inside a line, runs of spaces/tabs become one
       space; the leading indentation is kept as it is, because it nests Markdown
       lists and code;
    5. runs of blank lines become one blank line; leading/trailing blank lines go;
    6. the text ends with exactly one ``\\n``, except that empty text stays ``""``.
    """
    text = _LINE_BREAK.sub("\n", text.replace("\r\n", "\n"))
    text = _SPACE_OR_INVISIBLE.sub(_space_or_invisible, text)
    text = unicodedata.normalize("NFC", text)
    # Step 4 never crosses a line break, so it runs line by line (far faster).
    text = "\n".join([_line_spaces(line) for line in text.split("\n")])
    text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    return f"{text}\n" if text else ""


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
