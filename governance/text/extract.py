"""Fetched bytes to Markdown text: the first step of the text pipeline.

``extract`` returns Markdown or raises ``ExtractionError``; no other exception gets out,
so a fetcher can record the reason and move on.
"""

import codecs
import re

from bs4.dammit import EncodingDetector, UnicodeDammit

from governance.text._html import html_to_markdown
from governance.text._pdf import pdf_to_text
from governance.text.errors import ExtractionError
from governance.text.noise import denoise
from governance.text.rules import ExtractionRules, RangeSelector, Selector

__all__ = ["ExtractionRules", "RangeSelector", "Selector", "extract"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/markdown", "text/x-markdown", "text/plain"})
_PDF_TYPES = frozenset({"application/pdf"})
_SUPPORTED = ", ".join(sorted(_HTML_TYPES | _TEXT_TYPES | _PDF_TYPES))

# Text with more C0 control characters than this is binary data, whatever its label says.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, LF, FF, CR


def extract(content: bytes, media_type: str, *, rules: ExtractionRules | None = None) -> str:
    """Markdown text of ``content``; ``rules`` apply to HTML only."""
    kind, charset = parse_media_type(media_type)
    if kind not in _HTML_TYPES | _TEXT_TYPES | _PDF_TYPES:
        raise ExtractionError(f"unsupported media type {media_type!r}; supported: {_SUPPORTED}")
    if not content:
        raise ExtractionError(f"the content is empty (0 bytes of {kind})")
    try:
        text = _extract(content, kind, charset, rules or ExtractionRules())
    except ExtractionError:
        raise
    except Exception as exc:  # the promise is one exception type: wrap library surprises
        raise ExtractionError(
            f"extracting {kind} failed unexpectedly ({type(exc).__name__}: {exc})"
        ) from exc
    rules = rules or ExtractionRules()
    text = denoise(
        text, strip_parameters=rules.strip_query_params,
        drop_patterns=rules.compiled_drop_patterns,
    )
    if not text.strip():
        raise ExtractionError(
            f"extraction produced no text from {len(content)} bytes of {kind}; "
            "check the select/remove rules or whether the page needs JavaScript"
        )
    return text


def _extract(content: bytes, kind: str, charset: str | None, rules: ExtractionRules) -> str:
    if kind in _PDF_TYPES:
        return pdf_to_text(content)
    text = decode(content, charset, is_html=kind in _HTML_TYPES)
    if _looks_binary(text):
        raise ExtractionError(
            f"the content is labelled {kind} but looks binary (control bytes such as NUL); "
            "check the URL and the server's Content-Type"
        )
    if kind in _HTML_TYPES:
        return html_to_markdown(text, rules)
    return text.strip("\n")


def parse_media_type(media_type: str) -> tuple[str, str | None]:
    """``'Text/HTML; charset="ISO-8859-1"'`` -> ``('text/html', 'ISO-8859-1')``."""
    kind, _, parameters = (media_type or "").partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset


def decode(content: bytes, charset: str | None, *, is_html: bool) -> str:
    """Bytes to str: byte order mark, else declared charset, else detection.

    A BOM wins over the HTTP charset, as in browsers (WHATWG encoding sniffing). Then
    UnicodeDammit tries the declared charset, the document's own declaration (<meta>
    for HTML), UTF-8 and Windows-1252, and as a last resort decodes with replacement
    characters, so some text always comes out.
    """
    data, bom_encoding = EncodingDetector.strip_byte_order_mark(content)
    if bom_encoding:
        return data.decode(bom_encoding, errors="replace")
    known = [charset] if charset and _is_codec(charset) else []
    dammit = UnicodeDammit(data, known_definite_encodings=known, is_html=is_html)
    if dammit.unicode_markup is None:
        raise ExtractionError("the content could not be decoded as text in any encoding")
    return dammit.unicode_markup


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False  # an unknown charset label is ignored, as browsers do
    return True


def _looks_binary(text: str) -> bool:
    return "\x00" in text or len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text)
