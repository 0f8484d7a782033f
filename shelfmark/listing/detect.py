"""Detecting a listing page's rendering from its content, never its file name, and parsing it."""

from __future__ import annotations

import re

from .model import ListingPage
from .text import looks_like_text_listing, parse_text

# A saved page may open with a byte order mark, an XML declaration, comments (a browser's
# "saved from url" mark, IE conditional comments) and a doctype before its first element.
_HTML_START = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|div|ds-|meta|title|table|ul|section|main)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_START_WINDOW = 65536  # characters searched for the first element

FORMAT_NAMES = {
    "dspace7-text": "DSpace 7 page copied as text",
    "xmlui-text": "DSpace 6 XMLUI page copied as text",
    "dspace7-html": "DSpace 7 HTML",
    "xmlui-html": "DSpace 6 XMLUI (Mirage2) HTML",
    "jspui-html": "DSpace JSPUI HTML",
}


class NotAListingPage(ValueError):
    """The content is readable but is not a repository listing page."""


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:_HTML_START_WINDOW]))


def parse_listing(text: str, name: str) -> ListingPage:
    """Parse a listing page in any supported rendering; raise NotAListingPage naming `name` otherwise."""
    if looks_like_html(text):
        from .html import parse_html

        page = parse_html(text)
        if page is None:
            raise NotAListingPage(
                f"{name}: HTML, but not a DSpace listing page: no item list (DSpace 7 search results, "
                "XMLUI artifact list or JSPUI results table) and no community or collection list found"
            )
        return page
    if not text.strip():
        raise NotAListingPage(f"{name}: the file is empty")
    if not looks_like_text_listing(text):
        raise NotAListingPage(
            f"{name}: not a repository listing page: no \"Now showing\" count, no \"Permanent URI\" line "
            "and no item with a \"(year) names\" line found"
        )
    page = parse_text(text)
    if not page.items and not page.containers and page.count is None and page.scope.kind is None:
        raise NotAListingPage(f"{name}: not a repository listing page: no items found")
    return page
