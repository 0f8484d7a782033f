"""Page-level parts shared by the text and HTML parsers: counts, scope lines, container headings."""

from __future__ import annotations

import re

from .model import Count

_NOW_SHOWING = re.compile(r"Now\s+showing\s+(?:items\s+)?(\d[\d,]*)\s*-\s*(\d[\d,]*)\s+of\s+(\d[\d,]*)", re.IGNORECASE)
_RESULTS_RANGE = re.compile(r"(?:Showing\s+)?Results\s+(\d[\d,]*)\s*(?:-|to)\s*(\d[\d,]*)\s+of\s+(\d[\d,]*)", re.IGNORECASE)
_N_RESULTS = re.compile(r"^\s*(\d[\d,]*)\s+results?\s*$", re.IGNORECASE)

PERMANENT_URI = re.compile(r"Permanent URI for this (community|collection)\s*(\S*)", re.IGNORECASE)
CONTAINER_HEADINGS = re.compile(
    r"^\s*(?:Communities (?:of|in) this Community|Sub-?communities (?:within|of|in) this community"
    r"|Collections (?:of|in) this Community)\s*$",
    re.IGNORECASE,
)
SECTION_HEADINGS = re.compile(
    r"^\s*(?:Browse|Search Results|Recent Submissions|Search|Discover|Communities (?:of|in) this Community"
    r"|Collections (?:of|in) this Community|Sub-?communities (?:within|of|in) this community)\s*$",
    re.IGNORECASE,
)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def parse_count(text: str) -> Count | None:
    """Find the announced count in a line or a block of text."""
    for pattern in (_NOW_SHOWING, _RESULTS_RANGE):
        match = pattern.search(text)
        if match:
            first, last, total = (_number(g) for g in match.groups())
            return Count(total=total, first=first, last=last, printed=" ".join(match.group(0).split()))
    match = _N_RESULTS.match(text)
    if match:
        return Count(total=_number(match.group(1)), printed=match.group(0).strip())
    return None


def container_kind(heading: str) -> str:
    return "collections" if heading.strip().casefold().startswith("collections") else "sub-communities"
