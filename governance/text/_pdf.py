"""PDF to text with pypdf: the text layer, one paragraph per block of lines."""

import io
import re

from pypdf import PasswordType, PdfReader

from governance.text.errors import ExtractionError

# A line ending a sentence (optionally closed by a quote or bracket) ...
_SENTENCE_END = re.compile(r"[.!?:;。！？：；][\"'”’)）\]】]*$")  # noqa: RUF001
# ... and clearly shorter than a full line of the page ends its paragraph.
_SHORT_LINE_RATIO = 0.8


def pdf_to_text(content: bytes) -> str:
    """The PDF's text; ``ExtractionError`` if it cannot be read or has no text layer."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # Many PDFs are encrypted only to set permissions, with an empty user password.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ExtractionError("the PDF is protected by a password; it cannot be archived")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files; all mean "unreadable"
        raise ExtractionError(
            f"the PDF could not be read ({type(exc).__name__}: {exc}); "
            "check that the URL serves a complete, unencrypted PDF"
        ) from exc
    if not pages:
        raise ExtractionError("the PDF has no pages")
    text = "\n\n".join(p for p in (_paragraphs(page) for page in pages) if p)
    if not text.strip():
        raise ExtractionError(
            f"the PDF ({len(pages)} page(s)) has no text layer; it is probably a scan "
            "and would need OCR, which this archive does not do"
        )
    return text


def _paragraphs(page_text: str) -> str:
    """Keep pypdf's lines; separate paragraphs by a blank line.

    A PDF has no paragraph markup. A line that ends a sentence and is visibly shorter
    than the page's full lines is taken as a paragraph's last line; lines of one
    paragraph stay on their own lines (Markdown reads them as one paragraph).
    """
    lines = [line.strip() for line in page_text.splitlines()]
    longest = max((len(line) for line in lines), default=0)
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        ends_paragraph = not line or (
            _SENTENCE_END.search(line) is not None and len(line) < _SHORT_LINE_RATIO * longest
        )
        if ends_paragraph and blocks[-1]:
            blocks.append([])
    return "\n\n".join("\n".join(block) for block in blocks if block)
