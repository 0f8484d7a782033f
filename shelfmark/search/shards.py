"""The search index split into files that the search page loads only when a query needs them.

Collections above search.shard_threshold theses get, in assets/search/:

- index.js, the core, loaded with the page. It sets the global shelfmarkSearchData to
  {"version": 2, ...}: the fields, the search pipeline, the number of documents, the first term
  of each term shard, the first document of each display shard, and per document the values
  that filters and facet counts need (year, department, advisors, as numbers into tables);
- terms-NNNN.js, the term shards: contiguous ranges of the sorted term list, each term with its
  postings. A term's postings are one list of numbers. For each field that has the term, the list
  gives the field's position, the number of documents, then per document its number and the
  term's score there x 1000. The first document number is the number itself, each later one the
  step from the one before;
- docs-NNNN.js, the display shards: contiguous ranges of documents in listing order, each with
  what a result shows and what phrase checks read (display_data() of index.py);
- lexicon.js: every term with the fields it occurs in, for the typo fallback, which looks up
  words one edit away from a typed word across the whole term list. Terms are front-coded: each
  entry is one character for the length of the prefix it shares with the previous term (at most
  63), one or two characters for the index of its field mask in "masks", then the rest of the
  term; entries are separated by spaces, which no term contains.

Every shard file calls window.shelfmarkSearch.addShard(name, data), name being the file name
without ".js"; assets/search.js inserts the <script> element that loads it, which works from
disk (file://) where fetch() does not. Shards are cut when their JSON reaches a size in bytes,
so each one is a few tens of kilobytes once gzip-compressed (measured sizes: docs/search.md).
"""

from __future__ import annotations

from array import array
from itertools import islice
from operator import sub
from typing import Any, Callable, Iterable, Iterator

from .index import IndexData

FORMAT_VERSION = 2
FOLDER = "assets/search"
# Uncompressed bytes of postings after which a term shard is closed. A term whose postings alone
# are larger gets a shard of its own.
TERM_SHARD_BYTES = 64 * 1024
# Uncompressed bytes of display data after which a display shard is closed.
DISPLAY_SHARD_BYTES = 32 * 1024
# The characters that encode small numbers in the lexicon, 64 of them.
CODES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def shard_name(kind: str, number: int, bound: int) -> str:
    """Return the name of a shard, such as "terms-0012".

    `bound` is the number of terms or documents, which no shard number reaches. The number gets at
    least four digits, and as many as bound - 1 has, so names are known before the shards are cut.
    search.js makes the same names.
    """
    return f"{kind}-{number:0{max(4, len(str(bound - 1)))}d}"


def encode_postings(per_field: Iterable[array | None], measure: Callable[[int, str], None] | None = None) -> str:
    """Encode one term's postings as the comma-separated numbers described in the module's docstring.

    `measure`, if given, is called with each field's position and its part of the text.
    """
    parts = []
    for position, entries in enumerate(per_field):
        if entries is None:
            continue
        encoded = array("i", entries)
        documents = entries[0::2]
        encoded[2::2] = array("i", map(sub, islice(documents, 1, None), documents))
        parts.append(f"{position},{len(documents)},{','.join(map(str, encoded))}")
        if measure is not None:
            measure(position, parts[-1])
    return ",".join(parts)


def term_shards(index: IndexData, limit: int = TERM_SHARD_BYTES,
                measure: Callable[[int, str], None] | None = None) -> Iterator[tuple[list[str], list[str]]]:
    """Cut the sorted terms into shards: yield (terms, encoded postings) per shard; see encode_postings() for `measure`."""
    terms: list[str] = []
    postings: list[str] = []
    size = 0
    for term, *per_field in zip(index.terms, *index.postings):
        encoded = encode_postings(per_field, measure)
        if terms and size + len(encoded) > limit:
            yield terms, postings
            terms, postings, size = [], [], 0
        terms.append(term)
        postings.append(encoded)
        size += len(encoded) + len(term) + 6
    if terms or not index.terms:
        # A collection without terms still gets one (empty) term shard, so that every term has a shard.
        yield terms, postings


def term_shard_json(terms: list[str], postings: list[str], to_json) -> str:
    return '{"postings":[' + ",".join(f"[{encoded}]" for encoded in postings) + '],"terms":' + to_json(terms) + "}"


def display_shards(documents: Iterable[str], limit: int = DISPLAY_SHARD_BYTES) -> Iterator[tuple[int, list[str]]]:
    """Cut the documents, each as JSON, into shards in listing order: yield (first document, encoded documents) per shard."""
    first = 0
    encoded: list[str] = []
    size = 0
    for number, text in enumerate(documents):
        if encoded and size + len(text) > limit:
            yield first, encoded
            first, encoded, size = number, [], 0
        encoded.append(text)
        size += len(text) + 1
    if encoded:
        yield first, encoded


def lexicon(index: IndexData) -> dict[str, Any]:
    """Encode every term, front-coded, with the index of its field mask (see the module's docstring)."""
    masks = index.field_masks()
    table = sorted(set(masks))
    width = 1 if len(table) <= len(CODES) else 2
    codes = {mask: _code(position, width) for position, mask in enumerate(table)}
    entries = []
    previous = ""
    for term, mask in zip(index.terms, masks):
        shared = 0
        limit = min(len(term), len(previous))
        while shared < limit and term[shared] == previous[shared]:
            shared += 1
        # search.js counts the shared prefix in UTF-16 code units, as JavaScript's strings do.
        units = _utf16_length(term[:shared])
        while units > len(CODES) - 1:
            shared -= 1
            units = _utf16_length(term[:shared])
        entries.append(CODES[units] + codes[mask] + term[shared:])
        previous = term
    return {"maskWidth": width, "masks": table, "terms": " ".join(entries)}


def _utf16_length(value: str) -> int:
    return len(value) if value.isascii() else len(value.encode("utf-16-le", "surrogatepass")) // 2


def _code(number: int, width: int) -> str:
    if width == 1:
        return CODES[number]
    return CODES[number // len(CODES)] + CODES[number % len(CODES)]


# A document's year, department and advisors.
FilterValues = tuple[str, str, tuple[str, ...]]


def filter_values(document: dict[str, Any]) -> FilterValues:
    """Take the filter values from a document's display data (display_document() of index.py)."""
    return document.get("year", ""), document.get("department", ""), tuple(document.get("advisors", ()))


class Filters:
    """The filter values of every document: its year, department and advisors, as numbers into sorted tables.

    A missing year or department is -1. read() takes (filter values, display JSON) pairs, notes the
    values and passes the JSON through; data() gives the tables and the numbers.
    """

    def __init__(self) -> None:
        self.values: list[FilterValues] = []

    def read(self, documents: Iterable[tuple[FilterValues, str]]) -> Iterator[str]:
        for values, text in documents:
            self.values.append(values)
            yield text

    def data(self) -> dict[str, Any]:
        years = sorted({year for year, _, _ in self.values if year})
        departments = sorted({department for _, department, _ in self.values if department})
        advisors = sorted({name for _, _, names in self.values for name in names})
        year_numbers = {value: number for number, value in enumerate(years)}
        department_numbers = {value: number for number, value in enumerate(departments)}
        advisor_numbers = {value: number for number, value in enumerate(advisors)}
        return {
            "advisor": {"documents": [[advisor_numbers[name] for name in names] for _, _, names in self.values],
                        "values": advisors},
            "department": {"documents": [department_numbers.get(department, -1) for _, department, _ in self.values],
                           "values": departments},
            "year": {"documents": [year_numbers.get(year, -1) for year, _, _ in self.values], "values": years},
        }


