"""The lxml HTML-to-Markdown path against its reference, the BeautifulSoup + markdownify code.

governance/text/_html.py promises the output of _html_bs4.py byte for byte; these tests
hold it to that on the constructs markdownify treats specially, on tag soup, and on the
pages it must hand over to the reference (and check that it does hand them over).
"""

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.text import ExtractionError, ExtractionRules, _html, _html_bs4, _html_tree
from governance.text.extract import extract

from .helpers import PROPERTY


def both(page: str, rules: dict | None = None) -> str:
    """The new path's Markdown, after checking that it is the reference's."""
    parsed = ExtractionRules.from_json(rules)
    expected = _html_bs4.html_to_markdown(page, parsed)
    assert _html.html_to_markdown(page, parsed) == expected
    return expected


def fast(page: str, rules: dict | None = None) -> str:
    """The lxml path alone: no falling back to the reference allowed."""
    return _html._html_to_markdown(page, ExtractionRules.from_json(rules))


def test_nested_lists_ordered_and_unordered() -> None:
    page = (
        "<ol start='3'><li>three<ul><li>inner <b>bold</b></li><li>second\n  line</li></ul>"
        "</li><li>four</li></ol><p>after</p><ul><li></li><li>x</li></ul>"
    )
    assert fast(page) == both(page) == (
        "3. three\n   - inner **bold**\n   - second\n     line\n4. four\n\nafter\n\n- x"
    )


def test_tables_with_and_without_header_cells() -> None:
    page = (
        "<table><tr><td>a</td><td colspan='2'>b</td></tr><tr><td>1</td><td>2</td><td>3</td>"
        "</tr></table><table><thead><tr><th>H</th></tr></thead><tbody><tr><td>v\nw</td>"
        "</tr></tbody></table><table><caption>Fees</caption><tbody><tr><th>x</th></tr>"
        "</tbody></table>"
    )
    assert fast(page) == both(page) == (
        "| a | b | |\n| --- | --- | --- |\n| 1 | 2 | 3 |\n\n| H |\n| --- |\n| v w |\n\n"
        "Fees\n\n| x |\n| --- |"
    )


def test_links_titles_autolinks_and_tracking_parameters() -> None:
    page = (
        "<p><a href='https://ex.com/p?utm_source=news&amp;id=7' title='A \"q\"'> Terms </a>"
        " <a href='https://ex.com/x_y'>https://ex.com/x_y</a> <a>no href</a>"
        " <a href=''>empty</a> <a href='/e'><img src='/i.png' alt='logo'></a></p>"
    )
    markdown = both(page)
    assert markdown == fast(page)
    assert markdown == (
        '[Terms](https://ex.com/p?utm_source=news&id=7 "A \\"q\\"")  <https://ex.com/x_y> '
        "no href empty [![logo](/i.png)](/e)"
    )
    # tracking parameters go in extract(), after the conversion
    assert "utm_source" not in extract(page.encode(), "text/html")


def test_headings_breaks_and_inline_markup() -> None:
    page = (
        "<h1>Title <em>now</em></h1><h3>a<br>b</h3><h7>deep</h7><p>one<br>two <i> x </i>"
        "<strong></strong> *star* _under_ <del>old</del> <q>quote</q> H<sub>2</sub>O</p><hr>"
    )
    assert fast(page) == both(page) == (
        "# Title *now*\n\n### a b\n\n###### deep\n\none  \ntwo  *x*  \\*star\\* \\_under\\_ "
        '~~old~~ "quote" H2O\n\n---'
    )


def test_pre_code_blockquote_and_definition_lists() -> None:
    page = (
        "<pre>\n  keep   this\n\tand <b>this</b>\n</pre><p>use <code>a `b` c</code> and "
        "<kbd>Ctrl</kbd></p><blockquote><p>quoted</p><p>twice</p></blockquote>"
        "<dl><dt>Term\n one</dt><dd>Definition<br>more</dd></dl>"
    )
    assert fast(page) == both(page) == (
        "```\n  keep   this\n\tand this\n```\n\nuse `` a `b` c `` and `Ctrl`\n\n"
        "> quoted\n>\n> twice\n\nTerm one\n:   Definition  \n    more"
    )


def test_whitespace_next_to_blocks_and_removed_nodes() -> None:
    # Comments, scripts and removed elements leave the texts around them apart, as bs4
    # does; whitespace-only texts beside blocks go, \xa0 is kept inside a sentence.
    page = (
        "<div>\n  <p> lead </p>\n  tail <!-- c --> text\xa0<script>x</script> end\n"
        "<span class='ad'>AD</span>  after\n</div><div>a<img src='data:image/png;base64,x'>"
        "b<img alt='' src=' data:x'>c</div>"
    )
    assert fast(page, {"remove": ".ad"}) == both(page, {"remove": ".ad"})
    assert fast(page) == both(page)


@pytest.mark.parametrize(
    "rules",
    [
        {"select": [{"startAfter": "#a", "endBefore": "#b"}]},
        {"select": [{"startBefore": "#a", "endAfter": "li.last"}]},
        {"select": ["#b", {"startAfter": "#a", "endBefore": "#b"}, "h2"]},
        {"remove": [{"startAfter": "#a", "endBefore": "#b"}, ".x"]},
        {"select": "div > p:not(.x), li:first-child + li", "remove": "[data-ad]"},
    ],
)
def test_ranges_and_selectors(rules: dict) -> None:
    page = (
        "<h2 id='a'>A &amp; <i>b</i></h2><p class='x'>one</p><ul><li>1</li><li class='last'>"
        "2</li></ul><div><p>two</p><p data-ad>ad</p></div><table><tr><td>t</td></tr></table>"
        "<h2 id='b'>B</h2><p title='\"&quot;'>three</p>"
    )
    assert fast(page, rules) == both(page, rules)


def test_select_matching_nothing_is_the_same_error() -> None:
    rules = ExtractionRules(select=("#nothing",))
    with pytest.raises(ExtractionError) as new:
        _html.html_to_markdown("<p>x</p>", rules)
    with pytest.raises(ExtractionError) as old:
        _html_bs4.html_to_markdown("<p>x</p>", rules)
    assert new.value.reason == old.value.reason


@pytest.mark.parametrize(
    ("page", "rules"),
    [
        ("<p>a</p><p>b</p>", {"select": "p:nth-of-type(2)"}),  # not translated: reference
        ("<p>a\ufdd0b</p>", {}),  # our own marker character in the page
        ("<p>a&#xfdd1;b</p>", {}),
        ("<p>x</p><!DOCTYPE html><p>y <!DOCTYPE html> z</p>", {}),  # doctype in the page
        ("<html><body><p>x</p></body></html> <p>late</p>", {}),  # two root elements
        ("<p class='a\u00a0b'>x</p>", {"select": ".a"}),  # bs4 splits classes on \xa0
        ("<p>a</p>", {"remove": "html"}),
    ],
)
def test_pages_the_lxml_path_hands_over_come_out_as_before(page: str, rules: dict) -> None:
    if not _html_tree.has_sentinels(page):
        with pytest.raises(_html_tree.Unsupported):
            fast(page, rules)
    both(page, rules)


def test_the_lxml_path_does_not_load_bs4s_converter() -> None:
    code = (
        "import sys; from governance.text import extract, ExtractionRules\n"
        "extract(b'<main><h1>T</h1><p>x</p></main>', 'text/html',"
        " rules=ExtractionRules(select=('main',)))\n"
        "assert 'markdownify' not in sys.modules, 'markdownify loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


SOUP = st.lists(
    st.sampled_from([
        "<p>", "</p>", "<div class='s'>", "</div>", "<h2 id='h'>", "</h2>", "<ul>", "<li>",
        "</li>", "</ul>", "<ol>", "</ol>", "<table>", "<tr>", "<td>", "<th colspan=2>",
        "</tr>", "</table>", "<thead>", "<tbody>", "<pre>", "</pre>", "<code>", "</code>",
        "<b>", "</b>", "<em>", "</em>", "<a href='http://x.org/?a=1&gclid=z'>", "</a>",
        "<br>", "<hr>", "<img src=i.png alt=' a '>", "<img src='data:x'>", "<!-- c -->",
        "<script>s</script>", "<blockquote>", "</blockquote>", "<dl><dt>t<dd>d</dl>",
        "<p class='x' id='m'>", "<span>", "</span>", "text", " words ", "\n", "  \n\t ",
        "\xa0", "&amp;", "&lt;b&gt;", "*_`", "中文", "<textarea> t </textarea>", "<q>",
    ]),
    max_size=40,
).map("".join)
RULES = st.sampled_from([
    {}, {"select": "p"}, {"select": ["#m", ".s", "h2"]}, {"remove": ".s, b"},
    {"select": [{"startAfter": "#h", "endBefore": "#m"}]},
    {"remove": [{"startBefore": "h2", "endAfter": "hr"}]}, {"select": "div p, li + li"},
])


@PROPERTY
@given(SOUP, RULES)
def test_tag_soup_converts_as_the_reference_does(page: str, rules: dict) -> None:
    try:
        expected = _html_bs4.html_to_markdown(page, ExtractionRules.from_json(rules))
    except ExtractionError as error:
        with pytest.raises(ExtractionError, match="none of the select rules"):
            _html.html_to_markdown(page, ExtractionRules.from_json(rules))
        assert "none of the select rules" in error.reason
        return
    assert _html.html_to_markdown(page, ExtractionRules.from_json(rules)) == expected
