"""The one exception the text pipeline lets out."""


class ExtractionError(Exception):
    """Content could not be turned into text; ``reason`` says why in words a person can act on.

    Every failure inside extraction (bad bytes, a library exception, a selector that
    matches nothing) is re-raised as this, so callers handle exactly one type.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
