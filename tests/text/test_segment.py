# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

from hypothesis import given
from hypothesis import strategies as st

from governance.text import Heading, Segment, normalise, segment, segment_with_headings

from .helpers import PROPERTY, lost_characters


def pairs(markdown: str) -> list[tuple[tuple[str, ...], str]]:
    return [(s.heading_path, s.text) for s in segment(markdown)]


ENGLISH = """\
Privacy Policy
==============

Effective July 8, 2026

1\\. Collection of Personal Data
-------------------------------

We collect the following categories of personal data:

### Personal data you provide to us directly

*   Identity and Contact Data: we collect identifiers.
*   Payment Information: we collect payment information.
    It is processed by our payment provider.
    *   Card numbers are never stored.
*   Inputs and Outputs.

When you provide Inputs, you are responsible for them.

## 2. Uses of Personal Data

| Purpose | Legal basis |
| --- | --- |
| Provide the Services | Contract |

```
# not a heading
```
"""


def test_english_policy_structure() -> None:
    collection = ("Privacy Policy", "1. Collection of Personal Data")
    direct = (*collection, "Personal data you provide to us directly")
    uses = ("Privacy Policy", "2. Uses of Personal Data")
    assert pairs(ENGLISH) == [
        (("Privacy Policy",), "Effective July 8, 2026"),
        (collection, "We collect the following categories of personal data:"),
        (direct, "*   Identity and Contact Data: we collect identifiers."),
        (
            direct,
            "*   Payment Information: we collect payment information.\n"
            "    It is processed by our payment provider.\n"
            "    *   Card numbers are never stored.",
        ),
        (direct, "*   Inputs and Outputs."),
        (direct, "When you provide Inputs, you are responsible for them."),
        (
            uses,
            "| Purpose | Legal basis |\n| --- | --- |\n| Provide the Services | Contract |",
        ),
        (uses, "```\n# not a heading\n```"),
    ]


def test_bold_only_lines_are_headings_below_the_markdown_heading() -> None:
    markdown = (
        "## 3. Sharing\n\n**Why and how we process your information:**\n\nTo provide the "
        "Services.\n\n**Legitimate interests relied on:**\n\nSecurity.\n\n"
        "**This bold sentence is text.**\n\n## 4. Rights\n\nYou have rights."
    )
    assert pairs(markdown) == [
        (("3. Sharing", "Why and how we process your information:"), "To provide the Services."),
        (("3. Sharing", "Legitimate interests relied on:"), "Security."),
        (("3. Sharing", "Legitimate interests relied on:"), "**This bold sentence is text.**"),
        (("4. Rights",), "You have rights."),
    ]


def test_numbered_bold_heading_outranks_plain_bold_heading() -> None:
    markdown = (
        "**1\\. Account data**\nWe keep it.\n**Device data**\nModel and OS.\n"
        "**2\\. Usage data**\nPages viewed."
    )
    assert pairs(markdown) == [
        (("1. Account data",), "We keep it."),
        (("1. Account data", "Device data"), "Model and OS."),
        (("2. Usage data",), "Pages viewed."),
    ]


BAIDU = """\
### 百度隐私政策总则

更新日期：2022年4月26日
生效日期：2022年5月3日

**引言**
本隐私政策将帮助您了解以下内容：
一、 我们如何收集和使用您的个人信息
二、 我们如何使用 Cookie 和同类技术
三、 您的权利
我们深知个人信息对您的重要性。

**一、我们如何收集和使用您的个人信息**
我们会严格按照法律法规要求处理您的个人信息。
**1\\. 为用户注册/登录所需的个人信息处理活动**
您注册百度账号时须至少向我们提供账号名称。
（1） 获得您的单独同意；
（2） 基于法律法规的要求。
**产品使用信息**

我们可能会记录您在使用我们的产品时主动提供的信息。

**二、我们如何使用 Cookie 和同类技术**
为确保网站正常运转，我们会存储 Cookie。
"""


def test_chinese_privacy_policy_structure() -> None:
    root = ("百度隐私政策总则",)
    intro = (*root, "引言")
    one = (*root, "一、我们如何收集和使用您的个人信息")
    register = (*one, "1. 为用户注册/登录所需的个人信息处理活动")
    assert pairs(BAIDU) == [
        (root, "更新日期：2022年4月26日\n生效日期：2022年5月3日"),
        (intro, "本隐私政策将帮助您了解以下内容："),
        # a run of same-rank headings with nothing between is a table of contents
        (intro, "一、 我们如何收集和使用您的个人信息"),
        (intro, "二、 我们如何使用 Cookie 和同类技术"),
        (intro, "三、 您的权利"),
        (intro, "我们深知个人信息对您的重要性。"),
        (one, "我们会严格按照法律法规要求处理您的个人信息。"),
        (register, "您注册百度账号时须至少向我们提供账号名称。"),
        (register, "（1） 获得您的单独同意；"),
        (register, "（2） 基于法律法规的要求。"),
        ((*register, "产品使用信息"), "我们可能会记录您在使用我们的产品时主动提供的信息。"),
        ((*root, "二、我们如何使用 Cookie 和同类技术"), "为确保网站正常运转，我们会存储 Cookie。"),
    ]


def test_chinese_chapters_and_articles() -> None:
    markdown = (
        "# 用户协议\n\n第一章 总则\n\n第一条 为了规范服务，制定本协议。\n\n"
        "第二条：用户应当遵守法律法规。\n下列行为被禁止：\n（一）违反法律法规的；\n"
        "（二）其他情形。\n\n**第三条** 其他事项。\n\n第二章 附则\n\n第十二条\n"
        "本协议自2023年5月1日起生效。\n"
    )
    chapter_one = ("用户协议", "第一章 总则")
    assert pairs(markdown) == [
        ((*chapter_one, "第一条"), "为了规范服务，制定本协议。"),
        ((*chapter_one, "第二条"), "：用户应当遵守法律法规。"),
        ((*chapter_one, "第二条"), "下列行为被禁止："),
        ((*chapter_one, "第二条"), "（一）违反法律法规的；"),
        ((*chapter_one, "第二条"), "（二）其他情形。"),
        ((*chapter_one, "第三条"), "其他事项。"),
        (("用户协议", "第二章 附则", "第十二条"), "本协议自2023年5月1日起生效。"),
    ]


def test_chinese_subsection_headings_nest_under_sections() -> None:
    markdown = (
        "一、总则\n（一）定义\n本协议中的术语。\n（二）适用范围\n适用于全部用户。\n"
        "二、账号\n账号归百度所有。"
    )
    assert pairs(markdown) == [
        (("一、总则", "（一）定义"), "本协议中的术语。"),
        (("一、总则", "（二）适用范围"), "适用于全部用户。"),
        (("二、账号",), "账号归百度所有。"),
    ]


def test_numbered_clauses_in_one_block_are_separate_provisions() -> None:
    markdown = (
        "##### 一、总则\n\n1\\. 本协议是关于您注册、登录和使用百度账号服务所订立的协议。\n"
        "2\\. 用户可以使用百度各个频道、产品的单项服务\n这些服务可能由关联公司提供。\n"
    )
    assert pairs(markdown) == [
        (("一、总则",), "1\\. 本协议是关于您注册、登录和使用百度账号服务所订立的协议。"),
        (
            ("一、总则",),
            "2\\. 用户可以使用百度各个频道、产品的单项服务\n这些服务可能由关联公司提供。",
        ),
    ]


def test_a_heading_alone_is_not_a_provision_but_is_not_lost() -> None:
    markdown = "# Terms\n\n## 1. Reserved\n\n## 2. Payment\n\nYou pay.\n\n## 3. Last"
    assert segment(markdown) == [
        Segment(("Terms", "1. Reserved"), ""),
        Segment(("Terms", "2. Payment"), "You pay."),
        Segment(("Terms", "3. Last"), ""),
    ]
    assert segment(markdown)[0].is_empty_section
    assert segment(markdown)[1].heading == "2. Payment"
    assert segment("# Only a title") == [Segment(("Only a title",), "")]


def test_headings_close_at_the_same_or_a_higher_level() -> None:
    markdown = "# A\n\n## B\n\n### C\n\nc\n\n## D\n\nd\n\n# E\n\ne\n\nx\n\n---\n\ny"
    assert pairs(markdown) == [
        (("A", "B", "C"), "c"),
        (("A", "D"), "d"),
        (("E",), "e"),
        (("E",), "x"),
        (("E",), "y"),
    ]


def test_heading_markup_is_stripped() -> None:
    markdown = "## **Bold title** ##\n\ntext\n\n### _Emphasis_\n\nmore\n\n#hashtag is text"
    assert pairs(markdown) == [
        (("Bold title",), "text"),
        (("Bold title", "Emphasis"), "more"),
        (("Bold title", "Emphasis"), "#hashtag is text"),
    ]


def test_segment_with_headings_reports_headings_where_they_open() -> None:
    items = segment_with_headings("# A\n\n## B\n\ntext\n\n## C\n")
    assert items == [
        Heading(("A",)),
        Heading(("A", "B")),
        Segment(("A", "B"), "text"),
        Heading(("A", "C")),
        Segment(("A", "C"), ""),
    ]
    assert items[1].title == "B"


def test_empty_and_blank_input() -> None:
    assert segment("") == []
    assert segment("\n\n   \n") == []
    assert segment("---\n***\n") == []


# Markdown-like documents: headings of every kind, lists, tables, fences, breaks and
# arbitrary lines, so the no-loss property meets the interesting cases often.
WORDS = st.text(
    alphabet=st.sampled_from([*"ab 中文。，.:：*#_-=|`\\1(（）)、第条章节一二十", "\t"]),
    max_size=12,
)
LINE_TEMPLATES = [
    "# {}", "### {} ##", "{}", "**{}**", "__{}__", "一、{}", "（二）{}", "(三){}",
    "第一章 {}", "第3节{}", "第十二条 {}", "**第二条** {}", "- {}", "  - {}", "1. {}",
    "1\\. {}", "（1）{}", "| {} | x |", "| --- | --- |", "```", "~~~", "---", "===", "***",
    "", "", "    {}", "> {}", "{}。", "{}.",
]  # fmt: skip
LINES = st.tuples(st.sampled_from(LINE_TEMPLATES), WORDS).map(lambda t: t[0].format(t[1]))
DOCUMENTS = st.one_of(st.lists(LINES, max_size=30).map("\n".join), st.text(max_size=200))


def check_outline(markdown: str) -> None:
    items = segment_with_headings(markdown)
    produced = "".join(i.title if isinstance(i, Heading) else i.text for i in items)
    assert lost_characters(markdown, produced) == ""
    segments = [i for i in items if isinstance(i, Segment)]
    assert segment(markdown) == segments
    last_heading: tuple[str, ...] = ()
    for item in items:
        if isinstance(item, Heading):
            assert item.title and item.path[:-1] == last_heading[: len(item.path) - 1]
            last_heading = item.path
        else:
            assert item.heading_path == last_heading[: len(item.heading_path)]
            assert item.text == item.text.strip()
            assert item.text or item.heading_path  # only a heading placeholder is empty
    # every heading appears in the heading path of some segment
    in_paths = {s.heading_path[:n] for s in segments for n in range(1, len(s.heading_path) + 1)}
    assert {i.path for i in items if isinstance(i, Heading)} <= in_paths


@PROPERTY
@given(DOCUMENTS)
def test_segment_loses_no_text(markdown: str) -> None:
    check_outline(markdown)


@PROPERTY
@given(DOCUMENTS)
def test_segment_loses_no_text_after_normalise(markdown: str) -> None:
    check_outline(normalise(markdown))


def test_lost_characters_detects_loss() -> None:
    assert lost_characters("# A b", "A b") == ""
    assert lost_characters("A b c", "A c") != ""
    assert lost_characters("A", "A B") != ""
