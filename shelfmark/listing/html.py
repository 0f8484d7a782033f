"""Listing pages saved as HTML: DSpace 7 (Angular), DSpace 6 XMLUI (Mirage2) and JSPUI."""

from __future__ import annotations

from .model import ListingPage


def parse_html(text: str) -> ListingPage | None:
    """Parse an HTML listing page, or return None when it is not one.

    TODO: recognise the three DSpace renderings; until then HTML pages are reported as unsupported.
    """
    return None
