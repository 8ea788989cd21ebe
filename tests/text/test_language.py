# Chinese full-width punctuation is the data here, not a typo.
# ruff: noqa: RUF001

import pytest

from governance.text import detect_language

ENGLISH = (
    "This Privacy Policy explains how we collect, use, disclose, and process your personal "
    "data when you use our website, Claude.ai, or other products and services."
)
FRENCH = (
    "La présente politique de confidentialité explique comment nous collectons, utilisons "
    "et protégeons vos données personnelles lorsque vous utilisez nos services."
)
GERMAN = (
    "Diese Datenschutzerklärung erläutert, wie wir Ihre personenbezogenen Daten erheben, "
    "verwenden und schützen, wenn Sie unsere Dienste nutzen."
)
CHINESE = (
    "您在使用百度公司提供的各项服务之前，请您务必审慎阅读、充分理解本协议各条款内容，"
    "特别是以粗体标注的部分，包括但不限于免除或者限制责任的条款。"
)
JAPANESE = (
    "本プライバシーポリシーは、当社がお客様の個人情報をどのように収集し、利用し、"
    "保護するかについて説明するものです。サービスをご利用になる前にお読みください。"
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        (GERMAN, "de"),
        (CHINESE, "zh"),
        (JAPANESE, "ja"),
        ("", "und"),
        ("   \n\n", "und"),
        ("Terms", "und"),
        ("1234 5678 -- ** | --- |", "und"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_chinese_with_latin_names_and_links_is_chinese() -> None:
    text = (
        "### 百度隐私政策总则\n\n"
        "我们如何使用 Cookie 和同类技术。百度平台（baidu.com网站及客户端）的 App、SDK 和 API "
        "[详见](https://privacy.baidu.com/policy/children-privacy-policy/index.html) "
        "Baidu Netdisk, Baidu Maps, iQIYI and Xiaodu Smart Speaker."
    )
    assert detect_language(text) == "zh"


def test_links_do_not_make_french_english() -> None:
    links = " ".join(f"[ici](https://example.com/en/legal/privacy/section-{i})" for i in range(30))
    assert detect_language(f"{FRENCH} {links}") == "fr"


def test_deterministic_and_bounded_on_long_text() -> None:
    text = (ENGLISH + "\n\n") * 2_000  # ~300 kB: only the opening is classified
    assert {detect_language(text) for _ in range(3)} == {"en"}
