"""The search index: a lunr index built with lunr.py, stored compactly, and the data each result shows.

Documents are referred to by their position in the collection's listing order ("0", "1", ...);
the same position finds a result's display data.

lunr's own serialisation stores every (term, field, document) twice, once in the inverted index
and once in the document's field vector, and lists every field in every posting. The compact
form written here keeps only the field vectors, from which the inverted index follows:

    {"version": "2.3.9", "pipeline": ["stemmer"], "fields": [...],
     "terms": [every term, sorted by UTF-16 code units; a term's position is its "_index"],
     "vectors": {field: [per document: [term position delta, score x 1000, ...], or []]}}

Term positions in a vector ascend, and each is stored as the step from the one before. Scores
are lunr's, rounded to three decimals, so score x 1000 is a whole number and dividing it by 1000
gives back the same float. expand_index() here and expandIndex() in assets/search.js turn the
compact form into what lunr's Index.load expects. A test checks that both equal lunr.py's own
serialisation of the same index.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from lunr import __TARGET_JS_VERSION__
from lunr.builder import Builder
from lunr.idf import idf
from lunr.index import Index
from lunr.vector import Vector

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


def utf16_order(term: str) -> bytes:
    """Sort key matching JavaScript's string comparison, which lunr.js needs when it loads terms."""
    return term.encode("utf-16-be", "surrogatepass")


class TermBuilder(Builder):
    """lunr.py's Builder, fed with terms made by text.Analyzer instead of its own tokenizer.

    lunr.py 0.8.0 tokenizes character by character and runs the pipeline on every token. The
    analyzer splits with a regular expression and runs the same pipeline once per distinct word.
    A field with no terms in a document gets no entry for that document, so no empty vector is
    stored for it. Terms are numbered in sorted order once all documents are added, so that a
    term's number is its position in the compact form's term list.
    """

    def add_terms(self, ref: str, terms_by_field: dict[str, list[str]]) -> None:
        self._documents[ref] = {}
        self.document_count += 1
        inverted_index = self.inverted_index
        for field_name, terms in terms_by_field.items():
            if not terms:
                continue
            field_ref = f"{field_name}/{ref}"
            frequencies = Counter(terms)
            self.field_term_frequencies[field_ref] = frequencies
            self.field_lengths[field_ref] = len(terms)
            for term in frequencies:
                posting = inverted_index.get(term)
                if posting is None:
                    posting = inverted_index[term] = {name: {} for name in self._fields}
                posting[field_name][ref] = {}

    def build(self) -> Index:
        self._number_terms()
        return super().build()

    def compact(self) -> dict[str, Any]:
        """Encode the index in the compact form described at the top of this module."""
        self._number_terms()
        self._calculate_average_field_lengths()
        self._create_field_vectors()
        terms = sorted(self.inverted_index, key=utf16_order)
        vectors: dict[str, list[list[int]]] = {name: [[] for _ in range(self.document_count)] for name in self._fields}
        for field_ref, vector in self.field_vectors.items():
            field_name, ref = field_ref.split("/", 1)
            vectors[field_name][int(ref)] = _delta_encoded(vector.elements)
        return {
            "fields": list(self._fields),
            "pipeline": self.search_pipeline.serialize(),
            "terms": terms,
            "vectors": vectors,
            "version": __TARGET_JS_VERSION__,
        }

    def _number_terms(self) -> None:
        for number, term in enumerate(sorted(self.inverted_index, key=utf16_order)):
            self.inverted_index[term]["_index"] = number
        self.term_index = len(self.inverted_index)

    def _calculate_average_field_lengths(self) -> None:
        """Compute the mean length of each field over the documents that have it (1 when none has it).

        lunr.py divides by the number of documents with the field, which fails when none has it.
        """
        totals: dict[str, int] = defaultdict(int)
        counts: dict[str, int] = defaultdict(int)
        for field_ref, length in self.field_lengths.items():
            field_name = field_ref.split("/", 1)[0]
            totals[field_name] += length
            counts[field_name] += 1
        self.average_field_length = {name: totals[name] / counts[name] if counts[name] else 1 for name in self._fields}

    def _create_field_vectors(self) -> None:
        """lunr.py's BM25 field vectors, with the same arithmetic, built by sorting instead of inserting.

        Builder._create_field_vectors inserts each term with a binary search in pure Python,
        which took most of the build time for thousands of theses. A test checks that both give
        equal vectors.
        """
        k1, b = self._k1, self._b
        numbers = {term: posting["_index"] for term, posting in self.inverted_index.items()}
        idfs = {term: idf(posting, self.document_count) for term, posting in self.inverted_index.items()}
        self.field_vectors = {}
        for field_ref, frequencies in self.field_term_frequencies.items():
            field_name, ref = field_ref.split("/", 1)
            # lunr.py computes score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf),
            # then multiplies by the field boost and the document boost; same operations, same order here.
            norm = k1 * (1 - b + b * (self.field_lengths[field_ref] / self.average_field_length[field_name]))
            boost = self._fields[field_name].boost
            document_boost = self._documents[ref].get("boost", 1)
            entries = sorted(
                (numbers[term], round(idfs[term] * ((k1 + 1) * tf) / (norm + tf) * boost * document_boost, 3))
                for term, tf in frequencies.items()
            )
            self.field_vectors[field_ref] = Vector([value for entry in entries for value in entry])


def _delta_encoded(elements: list[float]) -> list[int]:
    """[index, score, ...] as [step from the previous index, score x 1000, ...]."""
    indices = [int(index) for index in elements[0::2]]
    steps = [index - previous for previous, index in zip([0] + indices, indices)]
    scores = [round(score * 1000) for score in elements[1::2]]
    return [value for pair in zip(steps, scores) for value in pair]


def expand_index(compact: dict[str, Any]) -> dict[str, Any]:
    """Expand a compact index into lunr's serialisation, ready for lunr.py's Index.load.

    The inverted index is sorted by code point here, the order that lunr.py's token set builder
    expects. lunr.js expects UTF-16 order, which search.js keeps from the compact form.
    """
    fields = compact["fields"]
    postings: list[dict[str, Any]] = [{"_index": number, **{name: {} for name in fields}}
                                      for number in range(len(compact["terms"]))]
    field_vectors = []
    document_count = len(compact["vectors"][fields[0]]) if fields else 0
    for ref in range(document_count):
        for field_name in fields:
            encoded = compact["vectors"][field_name][ref]
            if not encoded:
                continue
            elements: list[float] = []
            index = 0
            for position in range(0, len(encoded), 2):
                index += encoded[position]
                elements.extend((index, encoded[position + 1] / 1000))
                postings[index][field_name][str(ref)] = {}
            field_vectors.append([f"{field_name}/{ref}", elements])
    inverted_index = sorted(([term, postings[number]] for number, term in enumerate(compact["terms"])),
                            key=lambda entry: entry[0])
    return {
        "fieldVectors": field_vectors,
        "fields": fields,
        "invertedIndex": inverted_index,
        "pipeline": compact["pipeline"],
        "version": compact["version"],
    }


def load_index(compact: dict[str, Any]) -> Index:
    """Load a compact index into lunr.py, with the stemmer that matches lunr.js.

    The index names its search pipeline "stemmer", which lunr.py resolves to its own stemmer.
    """
    index = Index.load(expand_index(compact))
    index.pipeline = text.search_pipeline()
    return index


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


def make_builder(collection: Collection) -> TermBuilder:
    """A builder holding every thesis of the collection, in listing order."""
    builder = TermBuilder()
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    builder.pipeline = text.index_pipeline()
    builder.search_pipeline = text.search_pipeline()

    analyzer = text.Analyzer()
    for position, thesis in enumerate(collection.theses):
        values = field_values(thesis)
        builder.add_terms(str(position), {name: analyzer.terms(values[name], name) for name in FIELD_NAMES})
    return builder


def display_data(collection: Collection, profile: Profile) -> list[dict[str, Any]]:
    """What each result shows, and what filters and phrase checks need, in listing order.

    "path" is the thesis page relative to the site root, made with Profile.link as the pages'
    own links are: a folder ("theses/x/") for hosted and preview, a file for offline. Empty
    values are left out.
    """
    documents = []
    for thesis in collection.theses:
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
        documents.append({key: value for key, value in document.items() if value})
    return documents


def _clean(value: str | None) -> str:
    return " ".join(plain_text(value).split())
