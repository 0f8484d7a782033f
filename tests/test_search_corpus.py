"""A seeded synthetic thesis collection for the search tests, and a table of queries drawn from it.

The other search tests import it (`from test_search_corpus import ...`); the Node tests run it as a
script when pytest has not passed them built sites:

    python tests/test_search_corpus.py --out DIR [--count 2500] [--seed 7]

writes DIR/whole (the one-file index of the collection), DIR/sharded (the same collection in shards,
as the build writes them with search.shard_threshold at 100), DIR/small (shards cut small, so that
queries cross many shard boundaries) and DIR/queries.json.

The vocabulary is /usr/share/dict/words (Debian package wamerican) when present, otherwise made from
syllables, so the collection never needs the network. Word frequencies follow a Zipf-like curve. The
names and some words carry accents, apostrophes and hyphens, and some people are named like stop
words ("May", "Will", "Long"). Some theses lack advisors, subjects, a department or a date, so that
the fields' average lengths count empty fields as lunr does.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import logging
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shelfmark import records  # noqa: E402
from shelfmark.collection import Collection, Thesis, sort_theses  # noqa: E402

WORD_LIST = Path("/usr/share/dict/words")  # Debian package wamerican

ACCENTED_WORDS = ["réflexion", "étude", "naïve", "café", "Zürich", "façade", "São", "Ørsted", "Łódź", "crème",
                  "señal", "über", "Bjørn", "déjà", "rôle", "Kraków", "Genève", "smörgåsbord"]
FAMILIES = ["Müller", "Núñez", "Ørsted", "Dvořák", "Łukasiewicz", "Nguyễn", "Çelik", "O'Brien", "Espy-Wilson",
            "Ortiz-Ramírez", "May", "Will", "Long", "García", "Søndergaard", "Brontë", "Å̊berg", "Ñúñez-López"]
GIVENS = ["José", "Zoë", "Søren", "Chloé", "André", "Maria", "Wei", "Ana", "Kim", "Léa", "Jürgen", "Siobhán", "Thi",
          "Ólafur", "Renée", "Björk", "Ali", "Grace"]
SYLLABLES = ["ka", "lo", "mi", "ran", "te", "vo", "sun", "pel", "dor", "ish", "ma", "qu", "ent", "al", "bro", "cy",
             "fen", "gar", "hil", "jo", "lin", "nor", "pra", "ros", "tul", "var", "wen", "yel", "zor"]
DEPARTMENTS = ["Electrical Engineering", "Mechanical Engineering", "Computer Science", "Biology", "History",
               "Chemistry and Biochemistry", "Reliability Engineering", "Linguistics", "Music", "Physics",
               "Government and Politics", "Teaching, Learning, Policy and Leadership"]
FILLERS = ["the", "of", "and", "in", "a", "for", "to", "with", "on", "we", "this", "is", "by", "that", "may", "will"]
SUBJECTS = ["Machine learning", "Reliability", "Signal processing", "Ecology", "Music theory", "Photonics",
            "Political economy", "Syntax", "Thermodynamics", "Genomics", "Pedagogy", "Robotics", "Surveys"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Plain lower-case words, ranked (the first is the most frequent)."""
    if WORD_LIST.exists():
        plain = sorted({word for word in WORD_LIST.read_text(encoding="utf-8").split()
                        if word.isascii() and word.isalpha() and word.islower() and len(word) >= 3})
        return rng.sample(plain, min(size, len(plain)))
    made: set[str] = set()
    while len(made) < size:
        made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    words = sorted(made)
    rng.shuffle(words)
    return words


class Zipf:
    def __init__(self, items: list[str], exponent: float = 1.05):
        self.items = items
        self.totals = list(itertools.accumulate(1 / (rank + 2.7) ** exponent for rank in range(len(items))))

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.totals, rng.random() * self.totals[-1])]


def person(rng: random.Random, families: list[str]) -> str:
    return f"{rng.choice(families)}, {rng.choice(GIVENS)}" + (f" {rng.choice('ABCDEFGHJKLMNPRST')}" if rng.random() < 0.2 else "")


def sentence(rng: random.Random, zipf: Zipf, length: int) -> str:
    words = []
    for position in range(length):
        if position and rng.random() < 0.3:
            words.append(rng.choice(FILLERS))
        word = zipf.draw(rng)
        roll = rng.random()
        if roll < 0.01:
            word = rng.choice(ACCENTED_WORDS)
        elif roll < 0.02:
            word = f"{word}-{zipf.draw(rng)}"
        elif roll < 0.025:
            word = f"{word}'s"
        words.append(word)
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def generate_records(count: int, seed: int, abstract_words: tuple[int, int] = (150, 450)) -> list[dict[str, Any]]:
    """`count` thesis records, the same for the same arguments."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    zipf = Zipf(words)
    families = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
                       for _ in range(max(40, count // 6))}) + FAMILIES * 3
    advisors = [person(rng, families) for _ in range(max(10, count // 12))]
    found: list[dict[str, Any]] = []
    taken: set[str] = set()
    for _ in range(count):
        title_words = [zipf.draw(rng) for _ in range(rng.randint(3, 9))]
        if rng.random() < 0.05:
            title_words.insert(rng.randrange(len(title_words)), rng.choice(ACCENTED_WORDS))
        title = " ".join(word[:1].upper() + word[1:] for word in title_words)
        if rng.random() < 0.2:
            title += ": " + " ".join(zipf.draw(rng) for _ in range(3))
        author = person(rng, families)
        year = rng.randint(1995, 2024)
        length = rng.randint(*abstract_words)
        sentences = []
        while sum(len(text.split()) for text in sentences) < length:
            sentences.append(sentence(rng, zipf, rng.randint(6, 18)))
        record_id = records.make_id(author.split(",")[0], year, title, taken)
        taken.add(record_id)
        record = records.empty_record(record_id)
        record.update({
            "title": title,
            "authors": [author],
            "advisors": rng.sample(advisors, rng.choice([0, 1, 1, 1, 2, 2])),
            "department": rng.choice(DEPARTMENTS) if rng.random() < 0.95 else None,
            "date_issued": str(year) if rng.random() < 0.97 else None,
            "subjects": rng.sample(SUBJECTS, rng.choice([0, 0, 1, 2, 3])),
            "abstract": " ".join(sentences),
        })
        found.append(record)
    return found


def make_collection(found: list[dict[str, Any]]) -> Collection:
    """The records as a collection in listing order, as shelfmark.collection.load_collection makes it."""
    theses = [Thesis(id=record["id"], data=record, authors=list(record["authors"]), advisors=list(record["advisors"]),
                     path=Path(f"theses/{record['id']}.yaml")) for record in found]
    sort_theses(theses)
    return Collection(theses, {}, [], [])


def write_content(folder: Path, found: list[dict[str, Any]], site: str) -> Path:
    """A content folder of the records, with `site` as its site.yaml."""
    (folder / "theses").mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(site, encoding="utf-8")
    for record in found:
        (folder / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(record), encoding="utf-8")
    return folder


def queries(collection: Collection, seed: int, per_kind: int = 12) -> list[dict[str, str]]:
    """Draw queries of every kind the search page supports from the collection: [{"kind", "query"}]."""
    from shelfmark.search import text

    rng = random.Random(seed)
    theses = collection.theses
    abstract_words = [word for thesis in theses[:400] for word in (thesis.data.get("abstract") or "").split()]
    plain = sorted({text.trim(word.lower()) for word in abstract_words if word.isalpha() and word.isascii()} - text.STOP_WORDS)
    long_words = [word for word in plain if len(word) >= 6]
    found: list[dict[str, str]] = []

    def add(kind: str, query: str) -> None:
        if {"kind": kind, "query": query} not in found:
            found.append({"kind": kind, "query": query})

    for word in rng.sample(plain, per_kind):
        add("word", word)
    for word in rng.sample(plain, per_kind // 2):
        add("word, typing done", word + " ")
    for word in rng.sample(long_words, per_kind):
        add("prefix", word[: rng.randint(2, 5)])
    for word in rng.sample(long_words, per_kind):
        position = rng.randrange(1, len(word) - 1)
        edit = rng.choice(["drop", "swap", "replace", "insert"])
        if edit == "drop":
            typo = word[:position] + word[position + 1:]
        elif edit == "swap":
            typo = word[:position - 1] + word[position] + word[position - 1] + word[position + 1:]
        elif edit == "replace":
            typo = word[:position] + ("q" if word[position] != "q" else "z") + word[position + 1:]
        else:
            typo = word[:position] + "x" + word[position:]
        add("typo", typo + " ")
    for thesis in rng.sample(theses, per_kind):
        add("author", "author:" + thesis.authors[0].split(",")[0])
        if thesis.advisors:
            add("advisor", "advisor:" + thesis.advisors[0].split(",")[0].lower())
        add("title", "title:" + rng.choice(thesis.data["title"].split()).strip(":"))
        if thesis.data.get("department"):
            add("department", "department:" + rng.choice(thesis.data["department"].replace(",", "").split()))
        if thesis.year:
            add("year", f"year:{thesis.year}")
        add("year", f"{thesis.year} {rng.choice(thesis.data['title'].split()).strip(':')}")
    for thesis in rng.sample(theses, per_kind):
        sentence_words = [word for word in thesis.data["abstract"].split()[:40] if word.isalpha()]
        add("several words", " ".join(rng.sample(sentence_words, min(3, len(sentence_words)))))
        start = rng.randrange(max(1, len(sentence_words) - 2))
        add("phrase", '"' + " ".join(sentence_words[start:start + 2]) + '"')
        add("phrase in a field", 'title:"' + " ".join(thesis.data["title"].split()[:2]).strip(":") + '"')
    for name in ("José Müller", "Jose Muller", "müller", "MULLER", "Ørsted", "orsted", "Dvořák", "dvorak", "Nguyễn",
                 "nguyen", "o'brien", "obrien", "espy-wilson", "wilson", "ortiz-ramírez", "ramirez", "Łukasiewicz",
                 "lukasiewicz", "Brontë", "bronte", "aberg", "nunez lopez"):
        add("accents and names", name)
    for word in ("réflexion", "reflexion", "étude", "etude", "naïve", "naive", "Zürich", "zurich", "façade", "Kraków"):
        add("accented words", word)
    for name in ("may", "author:may", "advisor:will", "will", "long", "the will", "may the"):
        add("names like stop words", name)
    for query in ("", "the of ", "subject:surveys", "subjects:machine", "abstract:" + plain[0], '"state of the',
                  "x" * 40, "C++", "foo:" + plain[1], "learn*", plain[2] + "~1", "+" + plain[3], "-" + plain[4]):
        add("awkward", query)
    return found


# --- lunr.py's own index, as the one-file index expands ------------------------------------------


def lunr_serialisation(collection: Collection) -> dict[str, Any]:
    """lunr.py's serialisation of its own index of the collection, numbered and ordered as expand_index() gives it.

    lunr.py numbers terms as it first meets them and stores an empty vector for a field without
    terms. The one-file index numbers them in sorted order and leaves empty vectors out. Neither
    changes a result. The rest, terms, postings and every score, is lunr.py's as it is.
    """
    from shelfmark.search import index as search_index

    serialised = search_index.lunr_builder(collection).build().serialize()
    fields = serialised["fields"]
    terms = sorted((term for term, _ in serialised["invertedIndex"]), key=search_index.utf16_order)
    numbers = {term: number for number, term in enumerate(terms)}
    old_terms = {posting["_index"]: term for term, posting in serialised["invertedIndex"]}
    field_vectors = []
    for ref, elements in serialised["fieldVectors"]:
        if not elements:
            continue
        pairs = sorted((numbers[old_terms[int(elements[at])]], elements[at + 1]) for at in range(0, len(elements), 2))
        field_vectors.append([ref, [value for pair in pairs for value in pair]])
    field_vectors.sort(key=lambda entry: (int(entry[0].split("/")[1]), fields.index(entry[0].split("/")[0])))
    inverted_index = [[term, {**posting, "_index": numbers[term]}] for term, posting in serialised["invertedIndex"]]
    return {**serialised, "fieldVectors": field_vectors, "invertedIndex": inverted_index}


# --- the command the Node tests run ---------------------------------------------------------------


def write_search_sites(out: Path, count: int, seed: int, term_bytes: int = 6000, display_bytes: int = 12000) -> None:
    """Write the one-file index and two sharded indexes of one generated collection, and its queries."""
    from shelfmark import search
    from shelfmark.config import defaults
    from shelfmark.search import index as search_index
    from shelfmark.urls import make_profile

    collection = make_collection(generate_records(count, seed, (40, 160)))
    profile = make_profile("hosted", None, None)
    _write(out / "whole", search.files(collection, defaults().replace(search__shard_threshold=count), profile))
    _write(out / "sharded", search.files(collection, defaults().replace(search__shard_threshold=100), profile))
    documents = search.display_entries(collection, profile)
    _write(out / "small", search.sharded_files(search_index.build_index(collection), documents,
                                               term_bytes=term_bytes, display_bytes=display_bytes))
    (out / "queries.json").write_text(json.dumps(queries(collection, seed), ensure_ascii=False, indent=0), encoding="utf-8")


def _write(folder: Path, files) -> None:
    for path, data in files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    # The one-file index of a collection this size is over the size budget, which is expected here.
    logging.getLogger("shelfmark.search").setLevel(logging.ERROR)
    write_search_sites(args.out, args.count, args.seed)
    return 0


# --- the generator's own tests -----------------------------------------------------------------------


def test_records_are_the_same_for_the_same_seed():
    assert generate_records(30, 3) == generate_records(30, 3)
    assert generate_records(30, 3) != generate_records(30, 4)


def test_records_are_valid(tmp_path):
    found = generate_records(40, 5)
    for record in found:
        path = tmp_path / f"{record['id']}.yaml"
        path.write_text(records.dump_record(record), encoding="utf-8")
        assert records.validate_record(records.read_record(path))[0] == []


def test_collection_has_what_the_search_tests_need():
    found = generate_records(300, 11)
    assert any(not record["advisors"] for record in found)
    assert any(not record["subjects"] for record in found)
    assert any(record["department"] is None for record in found)
    assert any(record["date_issued"] is None for record in found)
    assert any(not record["abstract"].isascii() for record in found)
    assert any(record["authors"][0].startswith(("May,", "Will,", "Long,")) for record in found)
    lengths = sorted(len(record["abstract"].split()) for record in found)
    assert lengths[0] >= 150
    assert lengths[-1] <= 480


if __name__ == "__main__":
    sys.exit(main())
