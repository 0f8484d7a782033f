"""The search index of a generated collection: the fast builder against plain lunr.py, and the sharded files."""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
import subprocess
from array import array
from pathlib import Path

import pytest
from test_search_corpus import WORD_LIST, generate_records, lunr_serialisation, make_collection

from shelfmark import search
from shelfmark.config import defaults
from shelfmark.search import index as search_index
from shelfmark.search import shards, text
from shelfmark.urls import make_profile

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = re.compile(r'\A/\*[^\n]*\*/\nwindow\.shelfmarkSearch\.addShard\(("[a-z0-9-]+"), (.*)\);\n\Z', re.DOTALL)
CORE = re.compile(r"\A/\*[^\n]*\*/\nwindow\.shelfmarkSearchData = (.*);\n\Z", re.DOTALL)


@pytest.fixture(scope="module")
def collection():
    return make_collection(generate_records(300, 23))


@pytest.fixture(scope="module")
def fast(collection):
    return search_index.build_index(collection)


@pytest.fixture(scope="module")
def slow(collection):
    """What lunr.py's own Builder makes of the same words with the same pipeline."""
    return search_index.lunr_builder(collection).build().serialize()


def _config(threshold: int):
    return defaults().replace(search__shard_threshold=threshold)


def _files(collection, threshold: int, profile: str = "hosted") -> dict[str, bytes]:
    return dict(search.files(collection, _config(threshold), make_profile(profile, None, None)))


def _shard_data(script: bytes, name: str):
    match = SCRIPT.match(script.decode("ascii"))
    assert match, script[:200]
    assert json.loads(match.group(1)) == name
    return json.loads(match.group(2))


def _core(script: bytes):
    match = CORE.match(script.decode("ascii"))
    assert match
    return json.loads(match.group(1))


def _decode_postings(numbers: list[int], fields: int) -> list[array | None]:
    """The postings of one term shard entry, per field, as IndexData keeps them."""
    per_field: list[array | None] = [None] * fields
    at = 0
    while at < len(numbers):
        field, count = numbers[at], numbers[at + 1]
        entries, document = array("i"), 0
        for pair in range(count):
            document += numbers[at + 2 + 2 * pair]
            entries.extend((document, numbers[at + 3 + 2 * pair]))
        per_field[field] = entries
        at += 2 + 2 * count
    return per_field


def _decode_lexicon(data) -> dict[str, int]:
    """The lexicon as search.js reads it, written again in Python: {term: field mask}."""
    width = data["maskWidth"]
    found, previous = {}, ""
    for entry in data["terms"].split(" ") if data["terms"] else []:
        code = shards.CODES.index(entry[1])
        if width == 2:
            code = code * len(shards.CODES) + shards.CODES.index(entry[2])
        units = previous.encode("utf-16-be", "surrogatepass")[: 2 * shards.CODES.index(entry[0])]
        term = units.decode("utf-16-be", "surrogatepass") + entry[1 + width:]
        found[term] = data["masks"][code]
        previous = term
    return found


# --- the fast builder against plain lunr.py --------------------------------------------------------


def test_index_equals_lunr_py(collection, fast, slow):
    """Same terms, same postings, same scores: build_index() is what lunr.py's Builder builds."""
    assert fast == search_index.index_from_lunr(slow)
    assert fast.document_count == 300
    assert len(fast.terms) > 3000


def test_scores_equal_lunr_py_floats(fast, slow):
    """Each whole-number score divided by 1000 is lunr.py's float, to the last bit."""
    numbers = {posting["_index"]: term for term, posting in slow["invertedIndex"]}
    expected = {ref: {numbers[int(elements[at])]: elements[at + 1] for at in range(0, len(elements), 2)}
                for ref, elements in slow["fieldVectors"] if elements}
    actual = {ref: {term: score / 1000 for term, score in scores.items()} for ref, scores in fast.vectors().items()}
    assert actual == expected


def test_empty_fields_count_in_average_length(collection, fast):
    """lunr.py divides a field's total length by every document, also those without the field."""
    assert any(not thesis.data["subjects"] for thesis in collection.theses)
    compact = search_index.compact(fast)
    assert search.expand_index(compact) == lunr_serialisation(collection)


def test_one_file_index_byte_identical_to_slow_path(collection, slow, monkeypatch):
    fast_files = _files(collection, 2000)
    monkeypatch.setattr(search, "build_index", lambda _collection, _cache=None: search_index.index_from_lunr(slow))
    assert _files(collection, 2000) == fast_files


def test_sharded_index_byte_identical_to_slow_path(collection, slow, monkeypatch):
    fast_files = _files(collection, 100)
    monkeypatch.setattr(search, "build_index", lambda _collection, _cache=None: search_index.index_from_lunr(slow))
    assert _files(collection, 100) == fast_files
    assert len(fast_files) > 5


def _words_to_check() -> list[str]:
    """Every tenth word of the word list, stop words and awkward strings, folded and split as the builder does."""
    found = set(text.STOP_WORDS) | {"", "'", "--", "x²", "ﬁnance", "O'Brien's", "(e.g.", "naïve", "survey", "key", "eed", "ies"}
    if WORD_LIST.exists():
        found.update(WORD_LIST.read_text(encoding="utf-8").split()[::10])
    return sorted({word for value in found for word in text.words(value)})


def test_analyzer_terms_equal_lunr_pipeline():
    analyzer = text.Analyzer()
    words = _words_to_check()
    assert len(words) > (9_000 if WORD_LIST.exists() else 100)
    for field in ("abstract", "authors"):
        assert [analyzer.term(word, field) for word in words] == [analyzer.pipeline_term(word, field) for word in words]


# --- the sharded files -----------------------------------------------------------------------------------


def test_threshold_chooses_one_file_or_shards(collection):
    assert list(_files(collection, 300)) == [search.INDEX_PATH]
    sharded = _files(collection, 299)
    assert _core(sharded[search.INDEX_PATH])["version"] == 2
    assert "assets/search/lexicon.js" in sharded


def test_shard_files_call_add_shard(collection):
    files = _files(collection, 100)
    names = sorted(path for path in files if path != search.INDEX_PATH)
    assert all(re.fullmatch(r"assets/search/(terms-\d{4}|docs-\d{4}|lexicon)\.js", path) for path in names)
    for path in names:
        assert files[path].isascii()
        _shard_data(files[path], path.rsplit("/", 1)[1][:-3])
    core = _core(files[search.INDEX_PATH])
    assert core["version"] == 2
    assert core["fields"] == list(search_index.FIELD_NAMES)
    assert core["pipeline"] == ["stemmer"]
    assert core["documentCount"] == 300
    assert len(core["termShards"]) == sum(path.startswith("assets/search/terms-") for path in names)
    assert len(core["documentShards"]) == sum(path.startswith("assets/search/docs-") for path in names)


def test_sharded_files_are_deterministic(collection):
    assert _files(collection, 100, "offline") == _files(collection, 100, "offline")


def test_term_shards_hold_every_term_once_in_order(collection, fast):
    files = _files(collection, 100)
    core = _core(files[search.INDEX_PATH])
    terms, postings = [], []
    for number, first in enumerate(core["termShards"]):
        name = shards.shard_name("terms", number, core["termCount"])
        data = _shard_data(files[f"assets/search/{name}.js"], name)
        assert data["terms"][0] == first
        assert len(data["terms"]) == len(data["postings"])
        terms += data["terms"]
        postings += [_decode_postings(numbers, len(fast.fields)) for numbers in data["postings"]]
    assert terms == fast.terms
    assert postings == [list(per_field) for per_field in zip(*fast.postings)]


def test_term_shards_are_cut_by_size(fast):
    cut = list(shards.term_shards(fast, 5000))
    assert len(cut) > 10
    for terms, encoded in cut:
        assert len(terms) == 1 or sum(map(len, encoded)) <= 5000


def test_display_shards_hold_every_thesis_in_order(collection):
    files = _files(collection, 100)
    core = _core(files[search.INDEX_PATH])
    documents = []
    for number, first in enumerate(core["documentShards"]):
        name = shards.shard_name("docs", number, core["documentCount"])
        data = _shard_data(files[f"assets/search/{name}.js"], name)
        assert data["first"] == first == len(documents)
        documents += data["documents"]
    assert documents == search_index.display_data(collection, make_profile("hosted", None, None))


def _filter_value(filters, facet: str, position: int) -> str | None:
    number = filters[facet]["documents"][position]
    if number < 0:
        return None
    return filters[facet]["values"][number]


def test_core_filters_match_theses(collection):
    filters = _core(_files(collection, 100)[search.INDEX_PATH])["filters"]
    for position, thesis in enumerate(collection.theses):
        assert _filter_value(filters, "year", position) == (str(thesis.year) if thesis.year else None)
        assert _filter_value(filters, "department", position) == thesis.data["department"]
        advisors = [filters["advisor"]["values"][number] for number in filters["advisor"]["documents"][position]]
        assert advisors == thesis.advisors


def test_lexicon_lists_every_term_with_its_fields(collection, fast):
    data = _shard_data(_files(collection, 100)["assets/search/lexicon.js"], "lexicon")
    assert data["maskWidth"] == 1
    assert _decode_lexicon(data) == dict(zip(fast.terms, fast.field_masks()))


def _tricky_index() -> search_index.IndexData:
    """Terms with long shared prefixes, characters outside the BMP and more field masks than one code holds."""
    terms = sorted(["a" * 70 + "b", "a" * 70 + "c", "a" * 80, "\U0001d431y", "\U0001d431z", "\ue000", "x"] +
                   [f"m{number:03d}" for number in range(127)], key=search_index.utf16_order)
    postings: list[list[array | None]] = [[None] * len(terms) for _ in range(7)]
    for number in range(len(terms)):
        mask = number % 127 + 1
        for position in range(7):
            if mask & (1 << position):
                postings[position][number] = array("i", [number % 3, 1000 + number])
    return search_index.IndexData(search_index.FIELD_NAMES, ["stemmer"], terms, postings, 3)


def test_lexicon_of_tricky_terms():
    index = _tricky_index()
    data = shards.lexicon(index)
    assert data["maskWidth"] == 2
    assert _decode_lexicon(data) == dict(zip(index.terms, index.field_masks()))


@pytest.mark.node
def test_search_js_reads_the_lexicon_of_tricky_terms(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found")
    index = _tricky_index()
    source = tmp_path / "lexicon.json"
    source.write_text(search.to_json(shards.lexicon(index)), encoding="ascii")
    script = ("const search = require(process.argv[1]);"
              "const data = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));"
              "console.log(JSON.stringify(search.decodeLexicon(data, []).masks));")
    result = subprocess.run([node, "-e", script, str(ROOT / "assets" / "search.js"), str(source)],
                            capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout) == dict(zip(index.terms, index.field_masks()))


def _field_parts(collection) -> dict[str, list[str]]:
    """Each field's part of every term's encoded postings, read back from the term shards."""
    parts: dict[str, list[str]] = {name: [] for name in search_index.FIELD_NAMES}
    for path, script in sorted(_files(collection, 100).items()):
        if "/terms-" not in path:
            continue
        for numbers in _shard_data(script, path.rsplit("/", 1)[1][:-3])["postings"]:
            at = 0
            while at < len(numbers):
                end = at + 2 + 2 * numbers[at + 1]
                parts[search_index.FIELD_NAMES[numbers[at]]].append(",".join(map(str, numbers[at:end])))
                at = end
    return parts


def test_sharded_size_is_logged(collection, caplog):
    with caplog.at_level(logging.INFO, logger="shelfmark.search"):
        _files(collection, 100)
    message, per_kind, per_field = [record.getMessage() for record in caplog.records]
    raw = {name: sum(len(part) + 1 for part in parts) for name, parts in _field_parts(collection).items()}
    assert per_field == "search index postings per field, KB raw (-v adds gzip sizes): " + ", ".join(
        f"{name} {raw[name] / 1024:.1f}" for name in search_index.FIELD_NAMES)
    assert per_kind.startswith("search index per kind (gzip sizes sampled; -v measures every file): core 1 files ")
    assert re.fullmatch(r"search index: 300 theses in \d+ term shards \([0-9.]+ MB raw\), \d+ display shards "
                        r"\([0-9.]+ MB raw\) and a [0-9.]+ KB core \([0-9.]+ KB gzip\); a first query of one word "
                        r"loads about [0-9.]+ KB gzip", message), message


def test_sharded_size_per_kind_when_debugging(collection, caplog):
    with caplog.at_level(logging.DEBUG, logger="shelfmark.search"):
        files = _files(collection, 100)
    _, per_kind, per_field = [record.getMessage() for record in caplog.records]
    assert per_kind.startswith("search index per kind, KB raw/gzip: core 1 files ")
    parts = _field_parts(collection)
    assert per_field == "search index postings per field, KB raw/gzip: " + ", ".join(
        f"{name} {sum(len(part) + 1 for part in parts[name]) / 1024:.1f}/"
        f"{len(gzip.compress(''.join(parts[name]).encode('ascii'), 6, mtime=0)) / 1024:.1f}"
        for name in search_index.FIELD_NAMES)
    docs = sum(len(gzip.compress(data, 6, mtime=0)) for path, data in files.items() if "/docs-" in path)
    assert f"docs {sum('/docs-' in path for path in files)} files" in per_kind
    assert f"/{docs / 1024:.1f}" in per_kind


def test_sharded_budget_warning(collection, caplog):
    with caplog.at_level(logging.INFO, logger="shelfmark.search"):
        list(search.files(collection, _config(100).replace(search__budget_kb=1), make_profile("hosted", None, None)))
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "over the budget of 1 KB (search.budget_kb in site.yaml)" in warnings[0]


def test_cached_analysis_gives_same_files(collection):
    cache: dict = {}
    first = _files_cached(collection, 100, cache)
    assert len(cache["analysis"]) == len(collection.theses)
    assert _files_cached(collection, 100, cache) == first


def _files_cached(collection, threshold, cache):
    return dict(search.files(collection, _config(threshold), make_profile("hosted", None, None), cache))


def _edited(found, edits):
    """A copy of the records with some fields replaced: {position: {field: value}}."""
    return [dict(record, **edits.get(number, {})) for number, record in enumerate(found)]


def test_patched_postings_match_fresh_build():
    found = generate_records(200, 7)
    original = make_collection(found)
    cache: dict = {}
    search_index.build_index(original, cache)
    first_postings = cache["postings"]
    first_word = found[17]["abstract"].split()[0]
    edits = {
        5: {"abstract": "Zyzzogeton quillwort " + found[5]["abstract"] * 2},  # new words, a longer field
        17: {"abstract": found[17]["abstract"].replace(first_word, "", 1)},
        40: {"subjects": ["Quillwort ecology"], "abstract": "Short."},
    }
    edited = make_collection(_edited(found, edits))
    before = {thesis.id: thesis.fingerprint_data() for thesis in original.theses}
    assert sum(before[thesis.id] != thesis.fingerprint_data() for thesis in edited.theses) == 3
    assert [thesis.id for thesis in edited.theses] == first_postings.ids
    patched = search_index.build_index(edited, cache)
    assert cache["postings"] is first_postings  # patched in place, not rebuilt
    fresh = search_index.build_index(edited)
    assert "zyzzogeton" in fresh.terms
    assert patched.terms == fresh.terms
    assert patched.postings == fresh.postings
    assert patched.document_count == fresh.document_count == 200


def test_postings_rebuilt_on_new_order():
    found = generate_records(60, 8)
    cache: dict = {}
    search_index.build_index(make_collection(found), cache)
    first_postings = cache["postings"]
    reordered = make_collection(_edited(found, {3: {"date_issued": "2999"}}))
    patched = search_index.build_index(reordered, cache)
    assert cache["postings"] is not first_postings
    fresh = search_index.build_index(reordered)
    assert (patched.terms, patched.postings) == (fresh.terms, fresh.postings)


def test_removed_words_leave_the_patched_index():
    found = generate_records(60, 9)
    cache: dict = {}
    search_index.build_index(make_collection(_edited(found, {10: {"subjects": ["Quillwort ecology"]}})), cache)
    first_postings = cache["postings"]
    patched = search_index.build_index(make_collection(found), cache)
    assert cache["postings"] is first_postings
    assert "quillwort" not in patched.terms
    fresh = search_index.build_index(make_collection(found))
    assert (patched.terms, patched.postings) == (fresh.terms, fresh.postings)


def _files_in(collection, profile: str, cache: dict) -> dict[str, bytes]:
    return dict(search.files(collection, _config(100), make_profile(profile, None, None), cache))


def test_cached_display_data_follows_profile_and_edits(collection):
    cache: dict = {}
    _files_in(collection, "hosted", cache)
    assert len(cache["display"]) == len(collection.theses)
    offline = _files_in(collection, "offline", cache)
    assert offline == _files(collection, 100, "offline")
    assert b'"path":"theses/' in offline["assets/search/docs-0000.js"]
    assert b'/index.html"' in offline["assets/search/docs-0000.js"]
    found = [dict(thesis.data) for thesis in collection.theses]
    edited = make_collection(_edited(found, {0: {"abstract": "A corrected abstract about quillwort."}}))
    assert _files_in(edited, "offline", cache) == _files(edited, 100, "offline")


def test_cache_starts_afresh_when_most_terms_are_gone():
    found = generate_records(60, 10)
    cache: dict = {}
    search_index.build_index(make_collection(found), cache)
    short = make_collection(_edited(found, {number: {"abstract": "Short."} for number in range(60)}))
    rebuilt = search_index.build_index(short, cache)
    assert cache["postings"] is None
    assert cache["analysis"] == {}
    fresh = search_index.build_index(short)
    assert (rebuilt.terms, rebuilt.postings) == (fresh.terms, fresh.postings)
    again = search_index.build_index(short, cache)
    assert (again.terms, again.postings) == (fresh.terms, fresh.postings)
    assert len(cache["postings"].vocabulary.strings) == len(fresh.terms)
