"""Captures that look broken rather than changed: an error page, or most of the text gone.

Such a capture is kept as evidence but not trusted as the document's new text
until a recheck shows the same thing (monitoring) — and, when imported, flagged.
"""

import re

# Share of the previous text's non-whitespace characters that may vanish in one change.
MAX_SHRINK = 0.5

# Error, block and challenge pages as they read once extracted (case-insensitive).
_ERROR_PAGE = re.compile(
    r"this page isn[\u2019']t available|access denied|attention required! \| cloudflare"
    r"|just a moment\.\.\.|enable javascript and cookies to continue|captcha"
    r"|are you a robot|verify you are (a )?human|403 forbidden|404 not found"
    r"|page not found|service unavailable|an unexpected error has occurred",
    re.IGNORECASE,
)


def _weight(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def suspect_reasons(text: str, previous: str | None) -> list[str]:
    """Why ``text`` looks like a broken capture (empty when it does not)."""
    reasons = []
    match = _ERROR_PAGE.search(text)
    if match and not (previous and _ERROR_PAGE.search(previous)):
        reasons.append(f"error-page: “{match.group(0)}”")
    if previous:
        before, after = _weight(previous), _weight(text)
        if before and after < before * (1 - MAX_SHRINK):
            reasons.append(f"shrank: {100 - round(100 * after / before)}% of the text removed")
    return reasons
