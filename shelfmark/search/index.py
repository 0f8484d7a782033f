"""The search index: lunr's BM25 index of the collection, computed here without lunr.py's per-term objects.

Documents are referred to by their position in the collection's listing order ("0", "1", ...);
the same position finds a result's display data.

build_index() makes what lunr.py's Builder makes when it is given the analyzer's words (see
lunr_builder(), the slow reference that the tests compare against): the same terms, and for
each (field, document) the same term scores. It differs only in bookkeeping:

- words are run through the pipeline once per distinct word, and each term is an integer while
  the documents are read;
- a (field, document) without terms gets no vector entry: lunr.py stores an empty vector there,
  which no query reads. Its length of 0 still counts in the field's average length, as in lunr.py;
- terms are numbered in sorted order (JavaScript's order: UTF-16 code units), where lunr.py numbers
  them as it first meets them. lunr uses the numbers only to order the entries of vectors, so
  the matches are the same, and a score can differ only where a sum runs in another order;
- the scores are kept as whole numbers, lunr's score x 1000. lunr rounds each score to three
  decimals, so dividing by 1000 gives back the same float.

The result, an IndexData, contains each term's postings: per field, the documents that contain
the term and its score there. The files the browser loads are made from it (see shards.py and the
compact form below).

The compact form (one file, for collections up to search.shard_threshold theses) keeps only the
field vectors, from which the inverted index follows:

    {"version": "2.3.9", "pipeline": ["stemmer"], "fields": [...],
     "terms": [every term, sorted by UTF-16 code units; a term's position is its "_index"],
     "vectors": {field: [per document: [term position delta, score x 1000, ...], or []]}}

Term positions in a vector ascend, and each is stored as the step from the one before.
expand_index() here and expandIndex() in assets/search.js turn it into what lunr's Index.load
expects.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from operator import sub
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from lunr import __TARGET_JS_VERSION__
from lunr.builder import Builder
from lunr.index import Index

from ..collection import Collection, Thesis
from ..pages import thesis_path
from ..render import plain_text
from ..urls import Profile
from . import text

# Indexed fields and their boosts; a word in the title weighs ten times a word elsewhere.
FIELDS: tuple[tuple[str, int], ...] = (
    ("title", 10),
    ("authors", 1),
    ("advisors", 1),
    ("department", 1),
    ("year", 1),
    ("subjects", 1),
    ("abstract", 1),
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)

# lunr's BM25 parameters (Builder._k1 and Builder._b in lunr.py, the same in lunr.js).
K1 = 1.2
B = 0.75


def utf16_order(term: str) -> bytes:
    """Sort key matching JavaScript's string comparison, which lunr.js needs when it loads terms."""
    return term.encode("utf-16-be", "surrogatepass")


@dataclass
class IndexData:
    """A lunr index as postings.

    terms: every term, sorted by UTF-16 code units; a term's number is its position.
    postings: per field position, per term number, an array of [document, score x 1000, ...] with
    documents ascending, or None when no document has the term in that field.
    """

    fields: tuple[str, ...]
    pipeline: list[str]
    terms: list[str]
    postings: list[list[array | None]]
    document_count: int

    def field_masks(self) -> list[int]:
        """Per term number, bit i set when the term occurs in field i."""
        masks = [0] * len(self.terms)
        for position, field_postings in enumerate(self.postings):
            bit = 1 << position
            for number, entries in enumerate(field_postings):
                if entries is not None:
                    masks[number] |= bit
        return masks

    def vectors(self) -> dict[str, dict[str, int]]:
        """{"field/document": {term: score x 1000}}, the field vectors by term, for comparisons in tests."""
        found: dict[str, dict[str, int]] = {}
        for field_name, field_postings in zip(self.fields, self.postings):
            for term, entries in zip(self.terms, field_postings):
                if entries is None:
                    continue
                for position in range(0, len(entries), 2):
                    found.setdefault(f"{field_name}/{entries[position]}", {})[term] = entries[position + 1]
        return found


# --- the fast builder ------------------------------------------------------------------------------


# The analysis of one document, as one array of integers: per field, in FIELDS order,
# the field's length in terms, the number of distinct terms, then a (term number, frequency) pair
# per term. Term numbers are those of a _Vocabulary. An array pickles quickly, which matters
# because a build keeps every thesis's analysis in its cache.
Analysis = array

# Above this share of changed theses the postings are rebuilt from the analyses instead of patched.
# NOTE: an estimate, not measured: patching inserts entries one at a time, so it pays only for a few.
PATCH_SHARE = 0.02


def build_index(collection: Collection, cache: dict[str, Any] | None = None) -> IndexData:
    """Index every thesis of the collection, in listing order; see the module's docstring.

    With a `cache`, each thesis's analysis is kept there between builds and reused while the
    thesis is unchanged, because analysing the text is most of the work. The unscored postings
    are kept too: when the theses are the same ones in the same order and few of them changed,
    only the changed theses' entries are replaced. The index is the same either way.
    """
    cached = (cache or {}).get("postings")
    known: dict[str, tuple[str, Analysis]] = (cache or {}).get("analysis", {}) if isinstance(cached, _Postings) else {}
    words = _WordIds(cached.vocabulary if isinstance(cached, _Postings) else _Vocabulary())
    fresh: dict[str, tuple[str, Analysis]] = {}
    for thesis in collection.theses:
        key = thesis.fingerprint_data()
        entry = known.get(thesis.id)
        if entry is None or entry[0] != key:
            entry = (key, words.analyze(field_values(thesis)))
        fresh[thesis.id] = entry

    ids = [thesis.id for thesis in collection.theses]
    changed = [document for document, thesis_id in enumerate(ids) if known.get(thesis_id) is not fresh[thesis_id]]
    if isinstance(cached, _Postings) and cached.ids == ids and len(changed) <= PATCH_SHARE * len(ids) \
            and all(ids[document] in known for document in changed):
        postings = cached
        for document in changed:
            postings.replace(document, known[ids[document]][1], fresh[ids[document]][1])
    else:
        postings = _Postings(ids, words.vocabulary)
        for document, thesis_id in enumerate(ids):
            postings.add(document, fresh[thesis_id][1])
    index = postings.index()
    if cache is not None:
        # Terms that no thesis has any more keep their numbers, so start afresh once they outnumber the live ones.
        keep = len(index.terms) * 2 >= len(words.vocabulary.strings)
        cache["analysis"] = fresh if keep else {}
        cache["postings"] = postings if keep else None
    return index


def build_index_from_values(documents: Iterable[dict[str, str]]) -> IndexData:
    """Index documents given as {field name: text}, each text as field_values() makes it."""
    words = _WordIds(_Vocabulary())
    postings = _Postings([], words.vocabulary)
    for document, values in enumerate(documents):
        postings.add(document, words.analyze(values))
    return postings.index()


class _Vocabulary:
    """Terms and their numbers, in the order they were first met. A number is never reused or changed."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.strings: list[str] = []

    def number(self, term: str) -> int:
        number = self.numbers.get(term)
        if number is None:
            number = self.numbers[term] = len(self.strings)
            self.strings.append(term)
        return number


def _fields(analysis: Analysis) -> Iterator[tuple[int, int, array]]:
    """Read an analysis: per field position, the length and [term number, frequency, ...]."""
    at = 0
    for position in range(len(FIELDS)):
        length, count = analysis[at], analysis[at + 1]
        yield position, length, analysis[at + 2:at + 2 + 2 * count]
        at += 2 + 2 * count


class _Postings:
    """The unscored postings of every field: what the scores are computed from, and what a build keeps.

    Term numbers here are the vocabulary's. A term that no document has any more keeps its number,
    and index() leaves such terms out when it numbers the rest in sorted order.
    """

    def __init__(self, ids: list[str], vocabulary: _Vocabulary):
        self.ids = ids  # the theses' ids in listing order: a later build patches only when its own are the same
        self.vocabulary = vocabulary
        # Per field: the length of each document's field, and per term number the documents with
        # their term frequencies, [document, frequency, ...], documents ascending.
        self.lengths: list[list[int]] = [[] for _ in FIELD_NAMES]
        self.by_term: list[dict[int, array]] = [{} for _ in FIELD_NAMES]

    def add(self, document: int, analysis: Analysis) -> None:
        """Add the document after every document added so far."""
        for position, length, pairs in _fields(analysis):
            self.lengths[position].append(length)
            field_terms = self.by_term[position]
            for term, frequency in zip(pairs[0::2], pairs[1::2]):
                entries = field_terms.get(term)
                if entries is None:
                    entries = field_terms[term] = array("i")
                entries.append(document)
                entries.append(frequency)

    def replace(self, document: int, old: Analysis, new: Analysis) -> None:
        """Put a document's new analysis in the place of its old one."""
        for position, _, pairs in _fields(old):
            field_terms = self.by_term[position]
            for term in pairs[0::2]:
                entries = field_terms[term]
                at = _find(entries, document)
                del entries[at:at + 2]
                if not entries:
                    del field_terms[term]
        for position, length, pairs in _fields(new):
            field_terms = self.by_term[position]
            for term, frequency in zip(pairs[0::2], pairs[1::2]):
                entries = field_terms.get(term)
                if entries is None:
                    entries = field_terms[term] = array("i")
                at = _find(entries, document)
                entries[at:at] = array("i", (document, frequency))
            self.lengths[position][document] = length

    def index(self) -> IndexData:
        """Score the postings as lunr.py does, leaving them as they are."""
        term_strings = self.vocabulary.strings
        document_count = len(self.lengths[0])
        # lunr's idf counts the (field, document) pairs that have the term.
        pairs = [0] * len(term_strings)
        for field_terms in self.by_term:
            for term_id, entries in field_terms.items():
                pairs[term_id] += len(entries) // 2
        idfs = [_idf(count, document_count) for count in pairs]

        live = [term_id for term_id, count in enumerate(pairs) if count]
        order = sorted(live, key=lambda term_id: utf16_order(term_strings[term_id]))
        postings: list[list[array | None]] = []
        for position, (_, boost) in enumerate(FIELDS):
            field_lengths = self.lengths[position]
            field_terms = self.by_term[position]
            # lunr.py divides by every document's length, 0 for a document without the field; a field
            # that no document has needs no average.
            average = sum(field_lengths) / document_count if field_terms else 1
            norms = [K1 * (1 - B + B * (length / average)) for length in field_lengths] if field_terms else []
            scored = {term_id: _scored(entries, idfs[term_id], norms, boost)
                      for term_id, entries in field_terms.items()}
            postings.append(list(map(scored.get, order)))

        return IndexData(
            fields=FIELD_NAMES,
            pipeline=text.search_pipeline().serialize(),
            terms=[term_strings[term_id] for term_id in order],
            postings=postings,
            document_count=document_count,
        )


def _find(entries: array, document: int) -> int:
    """Find the position in [document, frequency, ...] where `document` is, or where it would go."""
    low, high = 0, len(entries) // 2
    while low < high:
        middle = (low + high) // 2
        if entries[2 * middle] < document:
            low = middle + 1
        else:
            high = middle
    return 2 * low


class _WordIds:
    """Folded words to term numbers, each distinct word run through the lunr pipeline once per kind of field.

    A word dropped by the pipeline (a stop word outside the people fields, or nothing left after
    trimming) maps to -1.
    """

    def __init__(self, vocabulary: _Vocabulary) -> None:
        self.analyzer = text.Analyzer()
        self.vocabulary = vocabulary
        self._people: dict[str, int] = {}
        self._other: dict[str, int] = {}

    def analyze(self, values: dict[str, str]) -> Analysis:
        """Analyse one document given as {field name: text}, giving an Analysis."""
        result = array("i")
        for name in FIELD_NAMES:
            counts, length = self.count(values[name], name, name in text.PEOPLE_FIELDS)
            result.append(length)
            result.append(len(counts))
            for term, frequency in counts.items():
                result.append(term)
                result.append(frequency)
        return result

    def count(self, value: str, field: str, people: bool) -> tuple[Counter[int], int]:
        """Count the term numbers of a field value: return their frequencies and the field's length in terms."""
        found = text.words(value)
        cache = self._people if people else self._other
        try:
            counts = Counter(map(cache.__getitem__, found))
        except KeyError:
            for word in set(found).difference(cache):
                term = self.analyzer.term(word, field)
                cache[word] = -1 if term is None else self.vocabulary.number(term)
            counts = Counter(map(cache.__getitem__, found))
        dropped = counts.pop(-1, 0)
        return counts, len(found) - dropped


def _idf(documents_with_term: int, document_count: int) -> float:
    """lunr's inverse document frequency, with lunr.py's operations in lunr.py's order (lunr/idf.py)."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


_BY_FREQUENCY = [(K1 + 1) * frequency for frequency in range(64)]


def _scored(entries: array, idf: float, norms: list[float], boost: int) -> array:
    """Copy [document, frequency, ...], replacing each term frequency with the term's score there x 1000.

    The score is lunr.py's, with the same operations in the same order (Builder._create_field_vectors):
    idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf) * field boost * document boost,
    where norms[document] is k1 * (1 - b + b * (length / average)). No document has a
    boost, and multiplying by 1 changes no float, so that step is left out. lunr rounds the score
    to three decimals; here it is kept as a whole number of thousandths.
    """
    frequencies = entries[1::2]
    by_frequency = _BY_FREQUENCY if max(frequencies) < len(_BY_FREQUENCY) else \
        [(K1 + 1) * frequency for frequency in range(max(frequencies) + 1)]
    if boost == 1:
        scores = [idf * by_frequency[frequency] / (norms[document] + frequency)
                  for document, frequency in zip(entries[0::2], frequencies)]
    else:
        scores = [idf * by_frequency[frequency] / (norms[document] + frequency) * boost
                  for document, frequency in zip(entries[0::2], frequencies)]
    result = array("i", entries)
    result[1::2] = array("i", _thousandths(scores))
    return result


def _thousandths(scores: list[float]) -> list[int]:
    """round(round(score, 3) * 1000) for each score, which is lunr's rounded score as a whole number.

    round(score * 1000) is the same number unless score * 1000 is within a rounding error of
    a half: such scores, if any, are rounded again the slow way, as lunr.py rounds them.
    """
    scaled = [score * 1000.0 for score in scores]
    rounded = list(map(round, scaled))
    if max(map(abs, map(sub, scaled, rounded))) > 0.4999:
        return [round(round(score, 3) * 1000) for score in scores]
    return rounded


# --- the reference: plain lunr.py ------------------------------------------------------------------


def lunr_builder(collection: Collection) -> Builder:
    """lunr.py's own Builder with every thesis added, the slow reference for build_index().

    Each field value is given to it as the analyzer's folded words joined by spaces, which lunr.py's
    tokenizer splits back into the same words. Its pipeline is the index pipeline of text.py.
    """
    builder = Builder()
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    builder.pipeline = text.index_pipeline()
    builder.search_pipeline = text.search_pipeline()
    for position, thesis in enumerate(collection.theses):
        values = field_values(thesis)
        builder.add({"ref": str(position), **{name: " ".join(text.words(values[name])) for name in FIELD_NAMES}})
    return builder


def index_from_lunr(serialised: dict[str, Any]) -> IndexData:
    """Read a lunr serialisation (lunr.py's Index.serialize() or expand_index()) into an IndexData.

    Empty field vectors are dropped; scores become whole numbers (score x 1000).
    """
    fields = tuple(serialised["fields"])
    by_number = {posting["_index"]: term for term, posting in serialised["invertedIndex"]}
    terms = sorted(by_number.values(), key=utf16_order)
    numbers = {term: number for number, term in enumerate(terms)}
    field_positions = {name: position for position, name in enumerate(fields)}
    found: dict[tuple[int, int], list[tuple[int, int]]] = {}
    document_count = 0
    for ref, elements in serialised["fieldVectors"]:
        field_name, document = ref.split("/", 1)
        document_count = max(document_count, int(document) + 1)
        for position in range(0, len(elements), 2):
            term = by_number[int(elements[position])]
            found.setdefault((numbers[term], field_positions[field_name]), []).append(
                (int(document), round(elements[position + 1] * 1000)))
    postings: list[list[array | None]] = [[None] * len(terms) for _ in fields]
    for (number, position), entries in sorted(found.items()):
        postings[position][number] = array("i", [value for entry in sorted(entries) for value in entry])
    return IndexData(fields, list(serialised["pipeline"]), terms, postings, document_count)


# --- the compact form of one index file --------------------------------------------------------------


def compact(index: IndexData) -> dict[str, Any]:
    """Encode the index in the compact form described at the top of this module."""
    vectors: list[list[list[int]]] = [[[] for _ in range(index.document_count)] for _ in index.fields]
    previous: list[list[int]] = [[0] * index.document_count for _ in index.fields]
    for position, field_postings in enumerate(index.postings):
        field_vectors, field_previous = vectors[position], previous[position]
        for number, entries in enumerate(field_postings):
            if entries is None:
                continue
            for at in range(0, len(entries), 2):
                document = entries[at]
                field_vectors[document].extend((number - field_previous[document], entries[at + 1]))
                field_previous[document] = number
    return {
        "fields": list(index.fields),
        "pipeline": index.pipeline,
        "terms": index.terms,
        "vectors": dict(zip(index.fields, vectors)),
        "version": __TARGET_JS_VERSION__,
    }


def expand_index(compact_index: dict[str, Any]) -> dict[str, Any]:
    """Expand a compact index into lunr's serialisation, ready for lunr.py's Index.load.

    The inverted index is sorted by code point here, the order that lunr.py's token set builder
    expects. lunr.js expects UTF-16 order, which search.js keeps from the compact form.
    """
    fields = compact_index["fields"]
    postings: list[dict[str, Any]] = [{"_index": number, **{name: {} for name in fields}}
                                      for number in range(len(compact_index["terms"]))]
    field_vectors = []
    document_count = len(compact_index["vectors"][fields[0]]) if fields else 0
    for ref in range(document_count):
        for field_name in fields:
            encoded = compact_index["vectors"][field_name][ref]
            if not encoded:
                continue
            elements: list[float] = []
            index = 0
            for position in range(0, len(encoded), 2):
                index += encoded[position]
                elements.extend((index, encoded[position + 1] / 1000))
                postings[index][field_name][str(ref)] = {}
            field_vectors.append([f"{field_name}/{ref}", elements])
    inverted_index = sorted(([term, postings[number]] for number, term in enumerate(compact_index["terms"])),
                            key=lambda entry: entry[0])
    return {
        "fieldVectors": field_vectors,
        "fields": fields,
        "invertedIndex": inverted_index,
        "pipeline": compact_index["pipeline"],
        "version": compact_index["version"],
    }


def load_index(compact_index: dict[str, Any]) -> Index:
    """Load a compact index into lunr.py, with the stemmer that matches lunr.js.

    The index names its search pipeline "stemmer", which lunr.py resolves to its own stemmer.
    """
    index = Index.load(expand_index(compact_index))
    index.pipeline = text.search_pipeline()
    return index


# --- what the index is made of, and what results show ----------------------------------------------


def field_values(thesis: Thesis) -> dict[str, str]:
    """Return the text of each indexed field, with list fields joined into one string."""
    data = thesis.data
    return {
        "title": data.get("title") or "",
        "authors": "; ".join(thesis.authors),
        "advisors": "; ".join(thesis.advisors),
        "department": data.get("department") or "",
        "year": str(thesis.year) if thesis.year is not None else "",
        "subjects": "; ".join(data.get("subjects") or []),
        "abstract": data.get("abstract") or "",
    }


def display_data(collection: Collection, profile: Profile) -> list[dict[str, Any]]:
    """What each result shows, and what filters and phrase checks need, in listing order.

    "path" is the thesis page relative to the site root, made with Profile.link as the pages'
    own links are: a folder ("theses/x/") for hosted and preview, a file for offline. Empty
    values are left out.
    """
    return [display_document(thesis, profile) for thesis in collection.theses]


def display_document(thesis: Thesis, profile: Profile) -> dict[str, Any]:
    data = thesis.data
    document: dict[str, Any] = {
        "title": _clean(data.get("title")),
        "path": profile.link("index.html", thesis_path(thesis)),
        "authors": [_clean(name) for name in thesis.authors],
        "advisors": [_clean(name) for name in thesis.advisors],
        "department": _clean(data.get("department")),
        "year": str(thesis.year) if thesis.year is not None else "",
        "subjects": [_clean(subject) for subject in data.get("subjects") or []],
        "abstract": _clean(data.get("abstract")),
    }
    return {key: value for key, value in document.items() if value}


def _clean(value: str | None) -> str:
    return " ".join(plain_text(value).split())
