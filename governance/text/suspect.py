"""Captures that look broken rather than changed: an error page, or most of the text gone.

Such a capture is kept as evidence but not trusted as the document's new text
until a recheck shows the same thing (monitoring) — and, when imported, flagged.
"""

import functools
import re

# Share of the previous text's non-whitespace characters that may vanish in one change.
MAX_SHRINK = 0.5

# Error, block and challenge pages as they read once extracted (case-insensitive).
# Written in lower case: see _error_page_search.
_ERROR_PAGE_PATTERN = (
    r"this page isn[\u2019']t available|access denied|attention required! \| cloudflare"
    r"|just a moment\.\.\.|enable javascript and cookies to continue"
    # Not a bare "captcha": policies describe the reCAPTCHA they use.
    r"|complete the captcha|solve the captcha|captcha challenge"
    r"|are you a robot|verify you are (a )?human|403 forbidden|404 not found"
    r"|page not found|service unavailable|an unexpected error has occurred"
)
_ERROR_PAGE = re.compile(_ERROR_PAGE_PATTERN, re.IGNORECASE)
_ERROR_PAGE_LOWER = re.compile(_ERROR_PAGE_PATTERN)


def _error_page_search(text: str) -> str | None:
    """The words of ``text`` that _ERROR_PAGE matches first, if any.

    Same answer as ``_ERROR_PAGE.search(text)``, about four times faster: a
    case-sensitive search of the lower-cased text. That is exact when lower() maps
    each character to one character (then positions carry over), once the two
    letters the regex engine also folds to the pattern's "i" and "s" (dotless i
    U+0131, long s U+017F) are mapped too; any other text (U+0130, capital I with a
    dot, lowers to two characters) takes the case-insensitive regex.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        match = _ERROR_PAGE.search(text)
        return match.group(0) if match else None
    match = _ERROR_PAGE_LOWER.search(lowered.replace("\u0131", "i").replace("\u017f", "s"))
    return text[match.start() : match.end()] if match else None


# Each text is checked once as the new capture, then again as the previous one:
# remember the last few answers (the key is the text itself, so never a stale one).
@functools.lru_cache(maxsize=8)
def _weight(text: str) -> int:
    # The characters \s does not match: str.split() splits on exactly the characters
    # \s matches (both use str.isspace), and is several times faster than re.sub.
    return sum(map(len, text.split()))


def suspect_reasons(
    text: str, previous: str | None, *, last_good: str | None = None
) -> list[str]:
    """Why ``text`` looks like a broken capture (empty when it does not).

    The shrink is measured against ``previous``; an error banner against ``last_good``
    (the last capture that did not look broken; ``previous`` when not given): a second
    error page right after a first one still carries a banner the document never had.
    """
    reasons = []
    match = _error_page_search(text)
    banner_base = previous if last_good is None else last_good
    if match and not (banner_base and _error_page_search(banner_base)):
        reasons.append(f"error-page: “{match}”")
    if previous:
        before, after = _weight(previous), _weight(text)
        if before and after < before * (1 - MAX_SHRINK):
            reasons.append(f"shrank: {100 - round(100 * after / before)}% of the text removed")
    return reasons
