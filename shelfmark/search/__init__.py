"""Client-side search: the index is built here, as lunr.py would build it, and searched in the browser with lunr.js.

The build writes assets/search/index.js, a script that sets the global `shelfmarkSearchData`, so
the search page can load it with a <script> element, which works from disk (file://) where
fetch() and workers fail.

- Up to search.shard_threshold theses, that one file holds everything: the lunr index in a
  compact form (see index.py) and, for each thesis, what a result shows (format version 1).
- Above it, index.js is a small core (format version 2) and the rest is split into shards that
  the search page loads when a query needs them (see shards.py).

docs/search.md describes the query semantics that assets/search.js implements.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from typing import Any, Iterable, Iterator

from ..collection import Collection
from ..config import Config
from ..urls import Profile
from . import shards
from .index import (FIELD_NAMES, IndexData, build_index, compact, display_data, display_document, expand_index,
                    index_from_lunr, load_index)

__all__ = ["files", "search_data", "script_text", "expand_index", "load_index", "index_from_lunr", "INDEX_PATH",
           "GLOBAL_NAME", "sharded_files", "display_entries"]

log = logging.getLogger(__name__)

INDEX_PATH = "assets/search/index.js"
GLOBAL_NAME = "shelfmarkSearchData"
FORMAT_VERSION = 1


def files(collection: Collection, config: Config, profile: Profile,
          cache: dict[str, Any] | None = None) -> Iterator[tuple[str, bytes]]:
    """Yield the search files; log their sizes, and warn when a first query would load more than search.budget_kb.

    `cache` keeps each thesis's text analysis between builds (see build_index).
    """
    index = build_index(collection, cache)
    if len(collection.theses) > config["search.shard_threshold"]:
        documents = display_entries(collection, profile, cache)
        yield from sharded_files(index, documents, config["search.budget_kb"], config["page_size"])
        return
    data = {"documents": display_data(collection, profile), "index": compact(index), "version": FORMAT_VERSION}
    del index
    script = script_text(data).encode("ascii")
    report_size(data, script, config["search.budget_kb"])
    yield INDEX_PATH, script


def display_entries(collection: Collection, profile: Profile,
                    cache: dict[str, Any] | None = None) -> Iterator[tuple[shards.FilterValues, str]]:
    """Yield each thesis's filter values and display data as JSON, in listing order, for sharded_files().

    With a `cache`, both are kept there between builds and reused while the thesis and the profile
    are unchanged.
    """
    profile_key = (profile.name, profile.hosted_base, profile.deploy_path)
    known: dict[str, tuple[str, shards.FilterValues, str]] = {}
    if cache is not None and cache.get("display_profile") == profile_key:
        known = cache.get("display", {})
    fresh: dict[str, tuple[str, shards.FilterValues, str]] = {}
    for thesis in collection.theses:
        key = thesis.fingerprint_data()
        entry = known.get(thesis.id)
        if entry is None or entry[0] != key:
            document = display_document(thesis, profile)
            entry = (key, shards.filter_values(document), to_json(document))
        fresh[thesis.id] = entry
        yield entry[1], entry[2]
    if cache is not None:
        cache["display"] = fresh
        cache["display_profile"] = profile_key


def search_data(collection: Collection, profile: Profile) -> dict[str, Any]:
    """The data of the one-file index (format version 1), whatever the size of the collection."""
    return {
        "documents": display_data(collection, profile),
        "index": compact(build_index(collection)),
        "version": FORMAT_VERSION,
    }


def to_json(value: Any) -> str:
    """Encode deterministic, ASCII-only JSON: sorted keys, no spaces, and U+2028 and U+2029 escaped by ensure_ascii."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def script_text(data: dict[str, Any]) -> str:
    return ("/* Search index written by the site build (shelfmark.search); do not edit. */\n"
            f"window.{GLOBAL_NAME} = {to_json(data)};\n")


def shard_script(name: str, json_text: str) -> bytes:
    """A shard file: a script that hands its data to search.js."""
    return ("/* Part of the search index written by the site build (shelfmark.search); do not edit. */\n"
            f"window.shelfmarkSearch.addShard({to_json(name)}, {json_text});\n").encode("ascii")


# --- the sharded index ------------------------------------------------------------------------------


def sharded_files(index: IndexData, documents: Iterable[tuple[shards.FilterValues, str]], budget_kb: int = 400,
                  page_size: int = 10,
                  term_bytes: int = shards.TERM_SHARD_BYTES,
                  display_bytes: int = shards.DISPLAY_SHARD_BYTES) -> Iterator[tuple[str, bytes]]:
    """Yield the term shards, the display shards, the lexicon and the core (see shards.py).

    `documents` are the theses' filter values and display data (display_document() of index.py)
    as JSON, in listing order, as display_entries() makes them; they are read once, as the display
    shards are written, so a generator keeps only one shard's worth in memory. term_bytes and
    display_bytes are the sizes at which shards are cut (tests cut them small).
    """
    sizes = _Sizes()
    term_firsts: list[str] = []
    for number, (terms, postings) in enumerate(shards.term_shards(index, term_bytes, sizes.measure_field)):
        name = shards.shard_name("terms", number, len(index.terms))
        term_firsts.append(terms[0] if terms else "")
        yield sizes.add("terms", f"{shards.FOLDER}/{name}.js", shard_script(name, shards.term_shard_json(terms, postings, to_json)))

    filters = shards.Filters()
    document_firsts: list[int] = []
    for first, encoded in shards.display_shards(filters.read(documents), display_bytes):
        name = shards.shard_name("docs", len(document_firsts), index.document_count)
        document_firsts.append(first)
        body = '{"documents":[' + ",".join(encoded) + '],"first":' + str(first) + "}"
        yield sizes.add("docs", f"{shards.FOLDER}/{name}.js", shard_script(name, body))

    yield sizes.add("lexicon", f"{shards.FOLDER}/lexicon.js", shard_script("lexicon", to_json(shards.lexicon(index))))

    core = {
        "documentCount": index.document_count,
        "documentShards": document_firsts,
        "fields": list(index.fields),
        "filters": filters.data(),
        "pipeline": index.pipeline,
        "termCount": len(index.terms),
        "termShards": term_firsts,
        "version": shards.FORMAT_VERSION,
    }
    yield sizes.add("core", INDEX_PATH, script_text(core).encode("ascii"))
    sizes.report(index.document_count, budget_kb, page_size)
    sizes.report_fields(index.fields)


class _Sizes:
    """Raw sizes of the search files by kind, a few of them compressed, for the size report.

    Compressing every shard would cost seconds for a large collection, so the report compresses
    the core and up to SAMPLES shards of each kind, spread over the shards, and takes the largest
    of them as a shard's size; with -v (debug logging) it compresses every file.

    It also adds up each field's share of the postings in the term shards, and with -v compresses
    each field's share apart.
    """

    SAMPLES = 8

    def __init__(self) -> None:
        self.raw: dict[str, list[int]] = {}
        self.files: dict[str, list[bytes]] = {}
        self.gzip: dict[str, list[int]] = {}
        self.measure_all = log.isEnabledFor(logging.DEBUG)
        self.field_raw: dict[int, int] = {}
        self.field_streams: dict[int, Any] = {}
        self.field_gzip: dict[int, int] = {}

    def measure_field(self, position: int, part: str) -> None:
        self.field_raw[position] = self.field_raw.get(position, 0) + len(part) + 1
        if self.measure_all:
            stream = self.field_streams.get(position)
            if stream is None:
                stream = self.field_streams[position] = zlib.compressobj(6, zlib.DEFLATED, 31)
            self.field_gzip[position] = self.field_gzip.get(position, 0) + len(stream.compress(part.encode("ascii")))

    def report_fields(self, fields: tuple[str, ...]) -> None:
        if self.measure_all:
            for position, stream in self.field_streams.items():
                self.field_gzip[position] += len(stream.flush())
            parts = ", ".join(f"{name} {self.field_raw.get(position, 0) / 1024:.1f}/"
                              f"{self.field_gzip.get(position, 0) / 1024:.1f}" for position, name in enumerate(fields))
            log.info("search index postings per field, KB raw/gzip: %s", parts)
        else:
            parts = ", ".join(f"{name} {self.field_raw.get(position, 0) / 1024:.1f}"
                              for position, name in enumerate(fields))
            log.info("search index postings per field, KB raw (-v adds gzip sizes): %s", parts)

    def add(self, kind: str, path: str, data: bytes) -> tuple[str, bytes]:
        sizes = self.raw.setdefault(kind, [])
        sizes.append(len(data))
        if self.measure_all:
            self.gzip.setdefault(kind, []).append(_gzip_size(data))
        # Keep every shard whose number is a power of two, and the largest so far: a spread of samples.
        kept = self.files.setdefault(kind, [])
        if len(sizes) & (len(sizes) - 1) == 0 or len(data) >= max(sizes):
            kept.append(data)
            if len(kept) > 2 * self.SAMPLES:
                kept.sort(key=len)
                del kept[: self.SAMPLES]
        return path, data

    def largest_gzip(self, kind: str) -> int:
        return max((_gzip_size(data) for data in self.files.get(kind, [])), default=0)

    def report(self, document_count: int, budget_kb: int, page_size: int) -> None:
        core_gzip = self.largest_gzip("core")
        term_gzip = self.largest_gzip("terms")
        docs_gzip = self.largest_gzip("docs")
        # A query of one word needs the core, one term shard and the display data of one page.
        first_query = core_gzip + term_gzip + min(page_size, len(self.raw["docs"])) * docs_gzip
        log.info("search index: %d theses in %d term shards (%.1f MB raw), %d display shards (%.1f MB raw) and a "
                 "%.1f KB core (%.1f KB gzip); a first query of one word loads about %.0f KB gzip",
                 document_count, len(self.raw["terms"]), sum(self.raw["terms"]) / 1e6, len(self.raw["docs"]),
                 sum(self.raw["docs"]) / 1e6, self.raw["core"][0] / 1024, core_gzip / 1024, first_query / 1024)
        if self.measure_all:
            parts = ", ".join(f"{kind} {len(sizes)} files {sum(self.raw[kind]) / 1024:.1f}/{sum(sizes) / 1024:.1f}"
                              for kind, sizes in sorted(self.gzip.items()))
            log.info("search index per kind, KB raw/gzip: %s", parts)
        else:
            parts = ", ".join(f"{kind} {len(sizes)} files {sum(sizes) / 1024:.1f} KB raw, largest "
                              f"{self.largest_gzip(kind) / 1024:.1f} KB gzip"
                              for kind, sizes in sorted(self.raw.items()))
            log.info("search index per kind (gzip sizes sampled; -v measures every file): %s", parts)
        if first_query > budget_kb * 1024:
            log.warning("search index: a first query of one word loads about %.0f KB gzip-compressed (the core, a term "
                        "shard and %d display shards), over the budget of %d KB (search.budget_kb in site.yaml)",
                        first_query / 1024, min(page_size, len(self.raw["docs"])), budget_kb)


# --- the one-file index -----------------------------------------------------------------------------


def report_size(data: dict[str, Any], script: bytes, budget_kb: int) -> None:
    """Log the size of the index, raw and gzip-compressed; warn when it exceeds the budget.

    The one-file index serves collections up to search.shard_threshold theses, so compressing
    each field's part apart for the report costs little.
    """
    total_gzip = _gzip_size(script)
    log.info("search index: %d theses, %.1f KB raw, %.1f KB gzip", len(data["documents"]), len(script) / 1024,
             total_gzip / 1024)
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
