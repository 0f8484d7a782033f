"""The search index built by shelfmark.search: its content, its compact form, and tokenizer parity with lunr.js."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import lunr.pipeline
import lunr.stemmer
import pytest
from test_search_corpus import lunr_serialisation

from shelfmark import search
from shelfmark.builder import read_inputs
from shelfmark.search import index as search_index
from shelfmark.search import text
from shelfmark.urls import make_profile

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
NAMES_CONTENT = ROOT / "tests" / "node" / "fixtures" / "names"
CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "text"
TOKENS_SCRIPT = ROOT / "tests" / "node" / "tokens.js"
WORD_LIST = Path("/usr/share/dict/words")  # Debian package wamerican

# Words that the Python index pipeline and the browser's pipeline turn into different terms.
PARITY_EXCEPTIONS = {
    "eed": "the bare suffix: lunr.js's step 1b pattern ^(.+?)eed$ needs a letter before it and stems "
           "it as the suffix \"ed\" (giving \"e\"); lunr.py leaves \"eed\"",
    "ies": "the bare suffix: lunr.js's step 1a pattern ^(.+?)(ss|i)es$ needs a letter before it and drops "
           "only the \"s\" (giving \"ie\"); lunr.py gives \"i\"",
}

# Strings that exercise folding and splitting beyond an English word list.
AWKWARD_WORDS = [
    "eed", "ies", "Ångström", "naïve", "O'Brien's", "ﬁnance", "ＦＵＬＬ", "ΟΔΟΣ", "İstanbul", "Straße", "e.g.",
    "(RUL)", "3.5", "x²", "C++", "Æsir", "Œuvre", "Þór", "Łódź", "Đorđe", "model’s", "teachers'", "—", "“quoted”",
    "a/b", "x:y", "a*b", "a~b", "a^b", "a+b", "Nguyễn", "Bjørn", "co-operate", "\u2010hyphen", "x\u00ady",
    "\u200bzero", "fi\u0301", "ǅemal", "１２３", "½", "Ⅻ", "𝐱𝐲", "𐌰𐌱", "\U00020000x", "\ue000y", "ﬀ", "ſ",
    "survey", "key", "deploy", "Riley", "Murray", "May", "Will", "Espy-Wilson",
]


def _unavailable(message: str) -> None:
    """Skip when a tool is missing, but fail when $CI is set: CI must run every test."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def collection():
    return read_inputs(CONTENT)[1]


@pytest.fixture(scope="module")
def data(collection):
    return search.search_data(collection, make_profile("hosted", "https://theses.example.edu/", None))


def _thesis_ids(collection, results) -> list[str]:
    return [collection.theses[int(result["ref"])].id for result in results]


# --- the index of the shipped content -----------------------------------------------------------


def test_index_loads_in_lunr_py(collection, data):
    index = search.load_index(data["index"])
    assert sorted(_thesis_ids(collection, index.search("groth"))) == [
        "moradi-2021-systematic-integration-of-phm", "weiner-2024-a-framework-for-remaining"]


def test_index_keeps_final_y_after_vowel(collection, data):
    # "plays" stems to "play" in lunr.js; lunr.py's own step 1c would index "plai".
    index = search.load_index(data["index"])
    assert "play" in data["index"]["terms"]
    assert "plai" not in data["index"]["terms"]
    assert "weiner-2024-a-framework-for-remaining" in _thesis_ids(collection, index.search("play"))


def test_index_has_every_field(data):
    assert data["index"]["fields"] == ["title", "authors", "advisors", "department", "year", "subjects", "abstract"]
    assert data["index"]["pipeline"] == ["stemmer"]


def test_people_fields_keep_stop_words():
    analyzer = text.Analyzer()
    assert analyzer.terms("May, Will; Long, Kim", "authors") == ["may", "will", "long", "kim"]
    assert analyzer.terms("May, Will; Long, Kim", "advisors") == ["may", "will", "long", "kim"]
    assert analyzer.terms("it may or will last long", "abstract") == ["last", "long"]


def test_hyphenated_name_gives_both_parts():
    assert text.words("Espy-Wilson, Carol") == ["espy", "wilson,", "carol"]
    assert text.Analyzer().terms("Espy-Wilson, Carol", "advisors") == ["espi", "wilson", "carol"]


def test_fold_removes_accents_and_apostrophes():
    assert text.fold("Élodie Müller-Ørsted") == "elodie muller-orsted"
    assert text.fold("O’Brien's Straße") == "obriens strasse"


def test_stemmer_step_1c_matches_lunr_js():
    cases = {"survey": "survey", "key": "key", "deploy": "deploy", "cry": "cri", "by": "by", "happy": "happi"}
    assert {word: text.stem(word) for word in cases} == cases


def test_stemmer_label_leaves_lunr_py_registry_alone():
    assert lunr.pipeline.Pipeline.registered_functions["stemmer"] is lunr.stemmer.stemmer


def test_display_data_has_result_fields(collection, data):
    first = data["documents"][0]
    thesis = collection.theses[0]
    assert first["title"] == " ".join(thesis.title.split())
    assert first["authors"] == thesis.authors
    assert first["advisors"] == thesis.advisors
    assert first["year"] == str(thesis.year)
    assert first["path"] == f"theses/{thesis.id}/"
    assert first["abstract"].startswith("Remaining useful life")


def test_display_paths_follow_profile(collection):
    for profile, suffix in (("hosted", "/"), ("preview", "/"), ("offline", "/index.html")):
        documents = search_index.display_data(collection, make_profile(profile, None, None))
        assert documents[0]["path"] == f"theses/{collection.theses[0].id}{suffix}"


def test_script_sets_global_and_is_ascii(collection):
    profile = make_profile("hosted", "https://theses.example.edu/", None)
    config = read_inputs(CONTENT)[0]
    [(path, script)] = list(search.files(collection, config, profile))
    assert path == "assets/search/index.js"
    assert script.isascii()
    prefix = b"window.shelfmarkSearchData = "
    body = script.split(b"\n", 1)[1]
    assert body.startswith(prefix)
    assert body.endswith(b";\n")
    assert json.loads(body[len(prefix):-2])["version"] == 1


def test_build_is_deterministic(collection):
    profile = make_profile("offline", None, None)
    config = read_inputs(CONTENT)[0]
    assert list(search.files(collection, config, profile)) == list(search.files(collection, config, profile))


def test_size_is_logged(collection, caplog):
    config = read_inputs(CONTENT)[0]
    with caplog.at_level(logging.DEBUG, logger="shelfmark.search"):
        list(search.files(collection, config, make_profile("hosted", None, None)))
    [total, per_field] = [record.getMessage() for record in caplog.records]
    assert re.fullmatch(r"search index: 10 theses, [0-9.]+ KB raw, [0-9.]+ KB gzip", total)
    assert per_field.startswith("search index per field, KB raw/gzip: terms ")
    for name in ("title", "authors", "advisors", "department", "year", "subjects", "abstract", "path"):
        assert f", {name} " in per_field


def test_size_logged_in_total_and_per_field(collection, caplog):
    config = read_inputs(CONTENT)[0]
    with caplog.at_level(logging.INFO, logger="shelfmark.search"):
        list(search.files(collection, config, make_profile("hosted", None, None)))
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert re.fullmatch(r"search index: 10 theses, [0-9.]+ KB raw, [0-9.]+ KB gzip", messages[0])
    assert messages[1].startswith("search index per field, KB raw/gzip: terms ")
    assert ", abstract " in messages[1]


def test_budget_warning(collection, caplog):
    config = read_inputs(CONTENT)[0].replace(search__budget_kb=1)
    with caplog.at_level(logging.INFO, logger="shelfmark.search"):
        list(search.files(collection, config, make_profile("hosted", None, None)))
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "over the budget of 1 KB (search.budget_kb in site.yaml)" in warnings[0]


# --- the compact form against lunr.py's own serialisation ---------------------------------------


def test_compact_index_expands_to_lunr_serialisation(collection):
    compact = search_index.compact(search_index.build_index(collection))
    assert search.expand_index(compact) == lunr_serialisation(collection)


def test_terms_sorted_as_javascript_sorts():
    # U+E000 sorts after U+10000 in UTF-16 code units, before it in code points.
    assert sorted(["\U00010000", "\ue000"], key=search_index.utf16_order) == ["\U00010000", "\ue000"]


def test_no_empty_vectors_for_missing_fields(data):
    # No shipped thesis has subjects, so no document has a subjects vector.
    assert data["index"]["vectors"]["subjects"] == [[]] * 10


# --- tokenizer parity with the browser ------------------------------------------------------------


def _vocabulary() -> list[str]:
    """Every whitespace-separated word of the shipped and test content, a large word list, and awkward strings.

    Without the Debian word list (package wamerican), the corpus listing pages stand in for it.
    """
    texts: set[str] = set(AWKWARD_WORDS)
    for folder in (CONTENT, NAMES_CONTENT):
        for thesis in read_inputs(folder)[1].theses:
            for value in search_index.field_values(thesis).values():
                texts.update(value.split())
    if WORD_LIST.exists():
        texts.update(line.strip() for line in WORD_LIST.read_text(encoding="utf-8").splitlines() if line.strip())
    else:
        for path in sorted(CORPUS.glob("*.txt")):
            texts.update(path.read_text(encoding="utf-8").split())
    return sorted(texts)


def _browser_terms(texts: list[str], pipeline: list[str], tmp_path: Path) -> list[list[tuple[str, bool]]]:
    node = shutil.which("node")
    if node is None:
        _unavailable("node not found: install Node.js 20 (apt-get install -y nodejs)")
    source, target = tmp_path / "texts.json", tmp_path / "terms.json"
    source.write_text(json.dumps({"pipeline": pipeline, "texts": texts}), encoding="utf-8")
    subprocess.run([node, str(TOKENS_SCRIPT), str(source), str(target)], check=True, cwd=ROOT, timeout=300)
    return [[(term, stop_word) for term, stop_word in terms] for terms in json.loads(target.read_text(encoding="utf-8"))]


@pytest.mark.node
def test_tokenizer_parity_with_lunr_js(data, tmp_path):
    texts = _vocabulary()
    assert len(texts) > (100_000 if WORD_LIST.exists() else 2_000)
    browser = _browser_terms(texts, data["index"]["pipeline"], tmp_path)
    analyzer = text.Analyzer()

    differences = {}
    for raw, pairs in zip(texts, browser):
        people = analyzer.terms(raw, "authors")
        other = analyzer.terms(raw, "abstract")
        browser_people = [term for term, _ in pairs]
        browser_other = [term for term, stop_word in pairs if not stop_word]
        if people != browser_people or other != browser_other:
            differences[raw] = (people, browser_people)
    unexplained = {raw: terms for raw, terms in differences.items() if raw not in PARITY_EXCEPTIONS}
    assert unexplained == {}, f"{len(unexplained)} of {len(texts)} texts differ (python, browser)"
    assert set(differences) == set(PARITY_EXCEPTIONS), "an exception no longer differs; remove it"


@pytest.mark.node
def test_stop_words_equal_lunr_js(data, tmp_path):
    words = sorted(text.STOP_WORDS)
    browser = _browser_terms(words, data["index"]["pipeline"], tmp_path)
    assert [pairs[0][1] for pairs in browser] == [True] * len(words)
