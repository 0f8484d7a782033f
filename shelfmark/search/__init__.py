"""Client-side search: the index is built here with lunr.py and searched in the browser with lunr.js.

The build writes assets/search/index.js, a script that sets the global `shelfmarkSearchData`, so
the search page can load it with a <script> element, which works from disk (file://) where
fetch() and workers fail. The file contains the lunr index in a compact form (see index.py) and,
for each thesis, what a result shows.
docs/search.md describes the query semantics that assets/search.js implements.
"""

from __future__ import annotations

import gzip
import json
import logging
from typing import Any, Iterator

from ..collection import Collection
from ..config import Config
from ..urls import Profile
from .index import FIELD_NAMES, display_data, expand_index, load_index, make_builder

__all__ = ["files", "search_data", "script_text", "expand_index", "load_index", "INDEX_PATH", "GLOBAL_NAME"]

log = logging.getLogger(__name__)

INDEX_PATH = "assets/search/index.js"
GLOBAL_NAME = "shelfmarkSearchData"
FORMAT_VERSION = 1


def files(collection: Collection, config: Config, profile: Profile) -> Iterator[tuple[str, bytes]]:
    """Yield the search index script; log its size, and warn when it exceeds search.budget_kb."""
    data = search_data(collection, profile)
    script = script_text(data).encode("ascii")
    report_size(data, script, config["search.budget_kb"])
    yield INDEX_PATH, script


def search_data(collection: Collection, profile: Profile) -> dict[str, Any]:
    return {
        "documents": display_data(collection, profile),
        "index": make_builder(collection).compact(),
        "version": FORMAT_VERSION,
    }


def to_json(value: Any) -> str:
    """Encode deterministic, ASCII-only JSON: sorted keys, no spaces, and U+2028 and U+2029 escaped by ensure_ascii."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def script_text(data: dict[str, Any]) -> str:
    return ("/* Search index written by the site build (shelfmark.search); do not edit. */\n"
            f"window.{GLOBAL_NAME} = {to_json(data)};\n")


def report_size(data: dict[str, Any], script: bytes, budget_kb: int) -> None:
    """Log the size of the index, raw and gzip-compressed; warn when it exceeds the budget.

    Each field's share is measured only when debug logging is on, as the command line's -v sets it,
    because compressing the parts apart costs as much as compressing the whole file again. It is
    logged at INFO level because the console prints no DEBUG records.
    """
    total_gzip = _gzip_size(script)
    log.info("search index: %d theses, %.1f KB raw, %.1f KB gzip", len(data["documents"]), len(script) / 1024,
             total_gzip / 1024)
    if log.isEnabledFor(logging.DEBUG):
        parts = ", ".join(f"{name} {raw / 1024:.1f}/{packed / 1024:.1f}" for name, raw, packed in field_sizes(data))
        log.info("search index per field, KB raw/gzip: %s", parts)
    if total_gzip > budget_kb * 1024:
        log.warning("search index: %s is %.0f KB gzip-compressed, over the budget of %d KB (search.budget_kb in "
                    "site.yaml); the first search on a slow connection will wait for it",
                    INDEX_PATH, total_gzip / 1024, budget_kb)


def field_sizes(data: dict[str, Any]) -> list[tuple[str, int, int]]:
    """Measure each field's vectors and display values, the term list and the paths: (part, raw bytes, gzip bytes).

    The parts are compressed apart, so their gzip sizes add up to more than the whole file's.
    """
    index = data["index"]
    parts: list[tuple[str, Any]] = [("terms", index["terms"])]
    for name in FIELD_NAMES:
        parts.append((name, [index["vectors"][name], [document.get(name) for document in data["documents"]]]))
    parts.append(("path", [document["path"] for document in data["documents"]]))
    sizes = []
    for name, value in parts:
        encoded = to_json(value).encode("ascii")
        sizes.append((name, len(encoded), _gzip_size(encoded)))
    return sizes


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))
