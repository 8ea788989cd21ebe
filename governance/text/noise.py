"""Noise that changes between fetches of an unchanged document, taken out of its text.

Two kinds, both applied to the extracted Markdown of every media type:

- tracking parameters in link URLs (``utm_*``, ``fbclid``, Reddit's ``rdt`` cache
  buster ...): a built-in list, plus any a source's rules name;
- lines matching a source's ``drop_patterns`` (regular expressions such as
  ``Updated \\d+ days ago``), for counters and timestamps the selectors cannot reach.
"""

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that identify a visit, a campaign or a cache entry, never a document.
TRACKING_PARAMETERS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "utm_name", "gclid", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "yclid",
    "twclid", "ttclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "_ga", "_gl",
    "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rdt", "srsltid", "sessionid",
    "session_id", "sid", "cachebuster", "cb",
})

# A Markdown link or image target (after "](", up to ")" or a space), or a bare URL.
# Both start with "http": that literal first lets the regex engine jump from one
# "http" to the next instead of trying a match at every character of the text.
_LINK = re.compile(r"http(?:(?<=\]\(http)s?://[^)\s]+|s?://[^\s)\]>\"']+)")


def url_strip_parameters(url: str, names: frozenset[str]) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in names]
    query = urlencode(kept, doseq=True)
    if len(kept) == len(parse_qsl(parts.query, keep_blank_values=True)):
        return url  # nothing to strip: keep the original spelling of the query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def links_strip_tracking(text: str, extra: Iterable[str] = ()) -> str:
    names = TRACKING_PARAMETERS | {name.lower() for name in extra}

    def replace(match: re.Match) -> str:
        return url_strip_parameters(match.group(0), names)

    return _LINK.sub(replace, text)


def lines_drop(text: str, patterns: Iterable[re.Pattern]) -> str:
    patterns = list(patterns)
    if not patterns:
        return text
    return "\n".join(
        line for line in text.split("\n") if not any(p.search(line) for p in patterns)
    )


def denoise(text: str, *, strip_parameters: Iterable[str] = (),
            drop_patterns: Iterable[re.Pattern] = ()) -> str:
    return lines_drop(links_strip_tracking(text, strip_parameters), drop_patterns)
