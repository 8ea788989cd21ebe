"""Content negotiation where an unknown ``?format=`` is a 406, not DRF's 404."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class StrictContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = ", ".join(sorted({r.format for r in renderers}))
            raise exceptions.NotAcceptable(
                f"Unknown format {format!r}; this endpoint offers: {offered}."
            )
        return matching
