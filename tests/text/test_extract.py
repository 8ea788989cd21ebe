import io
import random
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from governance.text import ExtractionError, ExtractionRules, RangeSelector, extract
from governance.text.extract import parse_media_type

from .helpers import PROPERTY

PAGE = """<!DOCTYPE html>
<html><head><title>Site title</title><style>p { color: red }</style>
<script>var tracking = "script text";</script></head>
<body>
<nav id="menu">Home | Products | Login</nav>
<main>
  <h1>Terms of Service</h1>
  <p id="intro">Read these <a href="https://example.com/terms">terms</a> carefully.</p>
  <div class="cookie-banner">We use cookies. <button>Accept</button></div>
  <h2 id="s1">1. Eligibility</h2>
  <ul><li>You must be 18.</li><li>You must follow the <em>rules</em>.
    <ul><li>Nested rule.</li></ul></li></ul>
  <noscript>Enable JavaScript</noscript><template><p>Template text</p></template>
  <svg><text>SVG text</text></svg><iframe src="https://ads.example.com"></iframe>
  <h2 id="s2">2. Fees</h2>
  <table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>$20</td></tr></table>
  <h2 id="s3">3. Contact</h2>
  <p>Write to legal@example.com.</p>
</main>
<footer id="footer">© Example Inc.</footer>
</body></html>""".encode()


def html(rules: dict | None = None, content: bytes = PAGE) -> str:
    return extract(content, "text/html", rules=ExtractionRules.from_json(rules))


def test_html_keeps_headings_lists_links_tables() -> None:
    markdown = html({"select": "main", "remove": ".cookie-banner"})
    assert markdown == (
        "# Terms of Service\n\n"
        "Read these [terms](https://example.com/terms) carefully.\n\n"
        "## 1. Eligibility\n\n"
        "- You must be 18.\n- You must follow the *rules*.\n  - Nested rule.\n\n"
        "## 2. Fees\n\n"
        "| Plan | Price |\n| --- | --- |\n| Pro | $20 |\n\n"
        "## 3. Contact\n\n"
        "Write to legal@example.com."
    )


def test_html_drops_scripts_styles_and_other_non_text() -> None:
    markdown = html()
    for noise in ("script text", "color: red", "Enable JavaScript", "Template text",
                  "SVG text", "Site title", "DOCTYPE"):  # fmt: skip
        assert noise not in markdown
    assert "Home | Products | Login" in markdown
    assert "© Example Inc." in markdown


def test_select_parts_are_joined_in_document_order() -> None:
    markdown = html({"select": ["#footer", "#s1", "#menu"]})
    assert markdown == "Home | Products | Login\n\n## 1. Eligibility\n\n© Example Inc."


def test_select_keeps_an_element_once_even_when_matched_twice_or_nested() -> None:
    assert html({"select": ["main", "#intro", "main"]}) == html({"select": "main"})


def test_remove_applies_inside_selected_parts() -> None:
    markdown = html({"select": "main", "remove": ["ul", "table", "#s2"]})
    assert "Eligibility" in markdown
    assert "18" not in markdown and "Pro" not in markdown and "Fees" not in markdown


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ({"startAfter": "#s2", "endBefore": "#s3"}, "| Plan | Price |\n| --- |"),
        ({"startBefore": "#s2", "endBefore": "#s3"}, "## 2. Fees\n\n| Plan | Price |"),
        ({"startAfter": "#s2", "endAfter": "#s3"}, "| Pro | $20 |\n\n## 3. Contact"),
        ({"startBefore": "#s3", "endAfter": "#footer"}, "## 3. Contact\n\nWrite to"),
    ],
)  # fmt: skip
def test_range_selectors(selector: dict, expected: str) -> None:
    markdown = html({"select": [selector]})
    assert expected in markdown
    assert "Eligibility" not in markdown


def test_range_boundaries_exclude_and_include_markers() -> None:
    between = html({"select": {"startAfter": "#s2", "endBefore": "#s3"}})
    assert "Fees" not in between and "Contact" not in between
    inclusive = html({"select": {"startBefore": "#s2", "endAfter": "#s3"}})
    assert "Fees" in inclusive and "Contact" in inclusive and "legal@" not in inclusive


def test_range_in_remove() -> None:
    markdown = html({"select": "main", "remove": [{"startBefore": "#s1", "endBefore": "#s3"}]})
    assert "Eligibility" not in markdown and "Fees" not in markdown
    assert markdown.startswith("# Terms of Service")
    assert markdown.endswith("## 3. Contact\n\nWrite to legal@example.com.")


def test_range_end_is_the_first_match_after_the_start() -> None:
    page = b"<p class='m'>end?</p><h2 id='a'>A</h2><p>inside</p><p class='m'>end</p><p>after</p>"
    assert html({"select": {"startAfter": "#a", "endBefore": ".m"}}, page) == "inside"


def test_select_matching_nothing_is_an_error_naming_the_rules() -> None:
    with pytest.raises(ExtractionError) as error:
        html({"select": ["#missing", {"startAfter": "#nope", "endBefore": "#s3"}]})
    assert error.value.reason.startswith("none of the select rules matched: '#missing'")
    assert "startAfter" in error.value.reason


def test_select_with_one_rule_matching_is_fine() -> None:
    assert html({"select": ["#missing", "#s1"]}) == "## 1. Eligibility"


def test_selection_without_text_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="no text"):
        html({"select": "iframe, button, .empty"}, b"<div class='empty'> </div><p>x</p>")


def test_malformed_html_still_extracts() -> None:
    page = b"<html><body><h1>Terms<p>First <b>bold <i>both</p><ul><li>one<li>two</ul><p>Last"
    markdown = html(content=page)
    assert "# Terms" in markdown
    assert "First" in markdown and "both" in markdown
    assert "- one\n- two" in markdown
    assert markdown.endswith("Last")


def test_inline_data_images_become_their_alt_text() -> None:
    page = b'<p>Logo: <img alt="Example" src="data:image/png;base64,iVBORw0KGgo="> end</p>'
    assert html(content=page) == "Logo: Example end"


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        ("<p>Café déjà vu</p>".encode("iso-8859-1"), "text/html; charset=ISO-8859-1"),
        ("<p>Café déjà vu</p>".encode("iso-8859-1"), 'TEXT/HTML ; Charset="iso-8859-1"'),
        (
            '<meta charset="windows-1252"><p>Café déjà vu</p>'.encode("cp1252"),
            "text/html",
        ),
        ("<p>Café déjà vu</p>".encode("utf-8-sig"), "text/html; charset=iso-8859-1"),
        ("<p>Café déjà vu</p>".encode("utf-16"), "application/xhtml+xml"),
        ("<p>Café déjà vu</p>".encode(), "text/html; charset=no-such-charset"),
    ],
)
def test_html_decoding(content: bytes, media_type: str) -> None:
    assert extract(content, media_type).endswith("Café déjà vu")


def test_chinese_html_in_gbk_declared_by_meta() -> None:
    page = '<meta charset="gbk"><h5>一、总则</h5><p>本协议是关于您注册百度账号所订立的协议。</p>'
    assert extract(page.encode("gbk"), "text/html") == (
        "##### 一、总则\n\n本协议是关于您注册百度账号所订立的协议。"
    )


def test_markdown_and_plain_text_pass_through() -> None:
    markdown = "\ufeff# Terms\n\n- one\n- two\n".encode()
    rules = ExtractionRules(select=("main",))
    assert (
        extract(markdown, "text/markdown; charset=utf-8", rules=rules) == "# Terms\n\n- one\n- two"
    )
    assert extract("Café".encode("latin-1"), "text/plain; charset=latin-1") == "Café"
    assert extract("生效日期".encode(), "text/plain") == "生效日期"


@pytest.mark.parametrize("media_type", ["text/html", "text/plain", "text/markdown"])
def test_binary_content_claimed_as_text_is_an_error(media_type: str) -> None:
    garbage = b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(2_000)
    with pytest.raises(ExtractionError, match="looks binary"):
        extract(garbage, media_type)


@pytest.mark.parametrize("media_type", ["image/png", "application/json", "", "html"])
def test_unsupported_media_type_is_named(media_type: str) -> None:
    with pytest.raises(ExtractionError) as error:
        extract(b"{}", media_type)
    assert f"unsupported media type {media_type!r}" in error.value.reason


@pytest.mark.parametrize("content", [b"", b"   \n\t  ", b"<html><body> </body></html>"])
def test_empty_content_is_an_error(content: bytes) -> None:
    with pytest.raises(ExtractionError, match=r"empty|no text"):
        extract(content, "text/html")


def test_library_exceptions_do_not_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str, rules: ExtractionRules) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    # the package re-exports the function extract(), which hides the module's name
    monkeypatch.setattr(sys.modules["governance.text.extract"], "html_to_markdown", broken)
    with pytest.raises(ExtractionError, match="RecursionError"):
        extract(PAGE, "text/html")


def test_parse_media_type() -> None:
    assert parse_media_type("Text/HTML; charset=ISO-8859-1") == ("text/html", "ISO-8859-1")
    assert parse_media_type("application/pdf") == ("application/pdf", None)
    assert parse_media_type('text/plain; format=flowed; charset="utf-8"') == ("text/plain", "utf-8")


# --- extraction rules -----------------------------------------------------------------


def test_rules_from_json_accepts_ota_shapes() -> None:
    assert ExtractionRules.from_json(None) == ExtractionRules()
    assert ExtractionRules.from_json({}) == ExtractionRules()
    rules = ExtractionRules.from_json(
        {"select": "main", "remove": [".ads", {"startBefore": "#a", "endAfter": "#b"}]}
    )
    assert rules.select == ("main",)
    assert rules.remove == (".ads", RangeSelector("#a", "#b", True, True))
    assert ExtractionRules.from_json(rules.to_json()) == rules
    assert rules.to_json() == {
        "select": ["main"],
        "remove": [".ads", {"startBefore": "#a", "endAfter": "#b"}],
    }
    hash(rules)  # frozen and hashable: usable as a cache key


def test_rules_constructor_accepts_range_dicts() -> None:
    rules = ExtractionRules(select=({"startAfter": "h2", "endBefore": "h3"},))
    assert rules.select == (RangeSelector("h2", "h3"),)


@pytest.mark.parametrize(
    "data",
    [
        "main",
        ["main"],
        {"select": 3},
        {"select": [None]},
        {"select": ""},
        {"select": "p[", "remove": []},
        {"remove": "::nonsense("},
        {"select": {"startAfter": "#a"}},
        {"select": {"startAfter": "#a", "startBefore": "#b", "endBefore": "#c"}},
        {"select": {"startAfter": "#a", "endBefore": "#c", "extra": "x"}},
        {"select": {"startAfter": 1, "endBefore": "#c"}},
        {"selector": "main"},
    ],
)
def test_rules_from_json_rejects_malformed_shapes(data: object) -> None:
    with pytest.raises(ExtractionError):
        ExtractionRules.from_json(data)  # type: ignore[arg-type]


def test_invalid_css_selector_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="invalid CSS selector"):
        extract(PAGE, "text/html", rules=ExtractionRules(select=("div[class=",)))


# --- PDF ------------------------------------------------------------------------------


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer, written by hand with correct offsets."""
    operators = " ".join(f"({line}) Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td 14 TL {operators} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )


TERMS_PDF = tiny_pdf(
    [
        "Terms of Service",
        "1. You must be 18 or older to use the Services provided by Example.",
        "2. Be nice.",
        "3. These terms are governed by the laws of England and Wales, and",
        "disputes go to the courts of London.",
    ]
)


def pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_text_layer_is_extracted_in_paragraphs() -> None:
    assert extract(TERMS_PDF, "application/pdf") == (
        "Terms of Service\n"
        "1. You must be 18 or older to use the Services provided by Example.\n"
        "2. Be nice.\n\n"
        "3. These terms are governed by the laws of England and Wales, and\n"
        "disputes go to the courts of London."
    )


def test_pdf_encrypted_with_empty_password_is_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(TERMS_PDF)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    assert extract(pdf_bytes(writer), "application/pdf").startswith("Terms of Service")


def test_pdf_with_password_is_an_error() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(TERMS_PDF)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with pytest.raises(ExtractionError, match="password"):
        extract(pdf_bytes(writer), "application/pdf")


def test_pdf_without_text_layer_is_an_error() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    with pytest.raises(ExtractionError, match="no text layer"):
        extract(pdf_bytes(writer), "application/pdf")


@pytest.mark.parametrize(
    "content", [TERMS_PDF[:150], b"%PDF-1.4\ngarbage", b"<html>not a pdf</html>"]
)
def test_corrupt_pdf_is_an_error(content: bytes) -> None:
    with pytest.raises(ExtractionError, match="PDF"):
        extract(content, "application/pdf")


# --- nothing but ExtractionError ever escapes ------------------------------------------

MEDIA_TYPES = ["text/html", "application/xhtml+xml", "text/plain", "application/pdf"]
HTMLISH = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<h1>",
            "<ul><li>",
            "<table><tr><td>",
            "<script>",
            "&amp;",
            "<!--",
            "<![CDATA[",
            "<?xml ?>",
            "text",
            "中文",
            "\x00",
            "<br>",
            "</",
        ]
    ),
    max_size=30,
).map("".join)


@PROPERTY
@given(
    st.one_of(st.binary(max_size=300), HTMLISH.map(str.encode)),
    st.sampled_from(MEDIA_TYPES),
)
def test_extract_returns_text_or_raises_extraction_error(content: bytes, media_type: str) -> None:
    try:
        text = extract(content, media_type)
    except ExtractionError as error:
        assert error.reason
    else:
        assert text.strip()
