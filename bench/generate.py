"""Generate a synthetic thesis collection for benchmarks and tests.

    python bench/generate.py --count 10000 --seed 1 --out bench-out/corpus [--listings]

writes a complete content folder: site.yaml, collection.yaml, pages/about.md and one record per
thesis in theses/<id>.yaml, in the format ingest writes (shelfmark.records.dump_record, with
`source.key` from records.match_key and `source.digests` from records.digest). With --listings it
also writes listings/page-NNNNN.txt: DSpace 7 search pages copied as text, in the line form
("Now showing 1 - 20 of N", then per item the badges, the title, the "(date) names; department;
publishers" line and the abstract), so that ingest can be timed on them. Ingesting those pages
into an empty content folder gives the same records, except `subjects`, which a text listing
does not carry: the generator adds them as a curator would, without a digest.

The same --count, --seed, --page-size and word list give byte-identical files. The vocabulary comes
from /usr/share/dict/words (Debian package wamerican) when present; otherwise, or with
--no-dictionary, it is made from syllables, so the generator never needs the network.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import math
import random
import re
import resource
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# bench/run.py sets BENCH_CODE to its snapshot of the code, so that a whole run measures one version.
sys.path.insert(0, os.environ.get("BENCH_CODE") or str(Path(__file__).resolve().parent.parent))

from shelfmark import dates, records  # noqa: E402
from shelfmark.ingest import ResultList, update_collection_file  # noqa: E402
from shelfmark.listing.model import Scope  # noqa: E402
from shelfmark.people import fold, is_degree, is_inverted_person, is_natural_person, is_publisher  # noqa: E402

DICTIONARY = Path("/usr/share/dict/words")
VOCABULARY_SIZE = 20_000
ZIPF_EXPONENT = 1.05
FIRST_YEAR, LAST_YEAR = 1990, 2025

INSTITUTION = "University of Ashmere"
PUBLISHERS = ["Digital Repository at the University of Ashmere", "University of Ashmere (Ashmere, Vt.)"]
SCOPE = Scope(
    name="Ashmere Graduate Theses and Dissertations",
    kind="collection",
    handle="http://hdl.handle.net/10999/1",
    description="Doctoral dissertations and master's theses deposited by graduate students of the University of Ashmere.",
)
BASE_URL = "https://theses.example.edu/"

# About forty departments, largest first. Their sizes follow a Zipf-like curve over this order.
DEPARTMENTS = [
    "Electrical and Computer Engineering", "Computer Science", "Mechanical Engineering", "Biology",
    "Chemistry and Biochemistry", "Physics", "Psychology", "Economics", "Mathematics",
    "Civil and Environmental Engineering", "Materials Science and Engineering", "History",
    "English Language and Literature", "Aerospace Engineering", "Public Health", "Sociology",
    "Government and Politics", "Geographical Sciences", "Atmospheric and Oceanic Sciences",
    "Business Administration", "Teaching, Learning, Policy and Leadership", "Kinesiology",
    "Nutrition and Food Science", "Linguistics", "Philosophy", "Music", "Architecture",
    "Urban Studies and Planning", "Library and Information Studies", "Communication",
    "Criminology and Criminal Justice", "Entomology", "Animal and Avian Sciences",
    "Hearing and Speech Sciences", "Chemical and Biomolecular Engineering", "Fire Protection Engineering",
    "Reliability Engineering", "Art History and Archaeology", "Marine-Estuarine-Environmental Sciences",
    "Human Development and Quantitative Methodology",
]
DEGREES = [(None, 55), ("Doctor of Philosophy", 20), ("Master of Science", 20), ("Master of Arts", 5)]

# Words that make the abstracts read like prose. They take the top ranks of the frequency table.
FUNCTION_WORDS = """
the of and to in a is for that we this with on by are as from an be which these our its at
using between their can two both than into more also has been not such each new under over
""".split()
PREPOSITIONS = "of for in on with under across between from through to by within among during without".split()
SMALL_TITLE_WORDS = set(PREPOSITIONS) | {"a", "an", "the", "and", "or", "at", "as"}
ACADEMIC_TERMS = """
analysis model models data method methods system systems framework approach performance structure
structures network networks learning dynamics distribution estimation control design theory evidence
policy process processes signal response temperature protein cell cells gene expression material
materials surface energy optimization algorithm algorithms simulation experiment experiments sample
population community social cultural historical political economic spatial temporal statistical
computational empirical theoretical experimental novel robust efficient adaptive nonlinear stochastic
multiscale quantum thermal mechanical chemical biological clinical environmental urban rural regional
global local student students teacher teachers school identity language narrative discourse memory
perception behavior decision risk uncertainty reliability failure prediction inference classification
detection measurement measurements effect effects impact factors role development growth change
variation interaction interactions mechanism mechanisms function functions properties characterization
synthesis fabrication device devices sensor sensors imaging spectroscopy transport flow fluid heat
stress strain fatigue fracture composite composites polymer polymers nanoparticles catalysis molecular
genetic genomic evolutionary ecological species habitat climate ocean atmospheric water soil carbon
nitrogen emissions pollution health disease treatment patients outcomes intervention survey interviews
qualitative quantitative case study studies field laboratory practice practices institutions market
markets firms labor trade finance investment households income inequality public private national
international law rights justice crime violence media communication information knowledge archive
literature poetry novel music performance art architecture space place landscape city cities planning
transportation infrastructure energy power grid wireless communication channel coding security privacy
graph graphs optimization convex sparse estimation bayesian probabilistic deep neural training
representation representations features images video speech text semantic retrieval robot robotics
autonomous vehicle vehicles aircraft propulsion combustion flame turbulence plasma laser optical
photonic electron electronic magnetic spin superconducting crystal crystalline thin films growth
""".split()
# Opening words of abstract sentences. A subject ending in "we" takes the bare verb.
SUBJECTS = [
    "We", "In this dissertation, we", "In this thesis, we", "This dissertation", "This thesis", "This work",
    "First, we", "Second, we", "Finally, we", "In addition, we", "The present study", "Our approach",
    "This research", "Here we", "The second part", "The last chapter", "Building on this, we",
]
VERBS = """
propose develop examine investigate present introduce study analyze evaluate measure model estimate
compare characterize demonstrate show design test identify quantify describe explore extend apply
derive simulate validate assess review address combine reveal improve predict
""".split()
CONNECTIVES = ["which", "that", "while", "and", "because"]
FINDINGS = ["The results show that", "We find that", "These findings suggest that", "Our experiments indicate that",
            "The analysis reveals that", "Taken together, the results suggest that"]
TITLE_OPENERS = ["Toward", "Towards", "Modeling", "Understanding", "Measuring", "Designing", "Essays on",
                 "On the", "Rethinking", "Controlling", "Mapping", "Learning", "Estimating", "Characterizing"]

# Syllables for invented names and, without a word list, invented vocabulary.
ONSETS = "b br c ch d dr f fr g gr h j k kr l m n p pr r s sh st t th tr v w y z".split() + [""]
VOWELS = "a e i o u a e i o ai ea ie ou".split()
CODAS = ["", "", "", "n", "r", "l", "s", "m", "nd", "rt", "th", "k", "ll", "sk"]
GIVEN_ENDINGS = ["a", "o", "el", "in", "ra", "en", "ia", "is", "an", "ette", "ius", "i"]
FAMILY_ENDINGS = ["son", "berg", "ski", "ez", "ini", "ova", "sen", "ley", "ton", "ard", "ic", "ath", "ani", "stad", "well"]
NAME_ONSETS = "b c d f g h j k l m n p r s t v w z br dr gr kr st sh ch th".split()
NAME_VOWELS = "a e i o u a e i o a".split()
NAME_CODAS = ["", "", "", "", "n", "r", "l", "s", "m", "nd", "rk", "ll"]
PARTICLES = ["van", "van der", "de", "de la", "von", "da", "di", "dos", "del", "le", "ten", "van den"]
ACCENTS = {"a": "áàäå", "e": "éèë", "i": "íï", "o": "óöø", "u": "úü", "n": "ñ", "c": "ç", "s": "š", "z": "ž"}


# --- weighted choices ------------------------------------------------------------------------------


class Weighted:
    """Items with fixed weights, drawn with one bisect per draw."""

    def __init__(self, items: list, weights: list[float]):
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    def draws(self, rng: random.Random, count: int) -> list:
        return rng.choices(self.items, cum_weights=self.cumulative, k=count)


def zipf(items: list, exponent: float = ZIPF_EXPONENT, offset: float = 2.7) -> Weighted:
    """Weight the items by 1 / (rank + offset) ** exponent, a Zipf-Mandelbrot curve over their order."""
    return Weighted(items, [1.0 / (rank + offset) ** exponent for rank in range(len(items))])


# --- vocabulary ------------------------------------------------------------------------------------


def dictionary_words(path: Path = DICTIONARY) -> list[str]:
    """Return the plain lower-case words of 3 to 12 letters in a word list, sorted, or [] when there is no list."""
    if not path.is_file():
        return []
    words = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if re.fullmatch(r"[a-z]{3,12}", line):
            words.add(line)
    return sorted(words)


def syllable_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))


def synthetic_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        word = syllable_word(rng, rng.choice((1, 2, 2, 3, 3, 4)))
        if 3 <= len(word) <= 12:
            words.add(word)
    return sorted(words)


def build_vocabulary(rng: random.Random, use_dictionary: bool) -> tuple[list[str], str]:
    """Return the content words in rank order, academic terms spread over the top ranks, and their source."""
    source_words = dictionary_words() if use_dictionary else []
    source = f"{DICTIONARY} ({len(source_words)} plain words)" if source_words else "syllables (no word list)"
    if not source_words:
        source_words = synthetic_words(rng, VOCABULARY_SIZE + len(ACADEMIC_TERMS))
    terms = list(dict.fromkeys(ACADEMIC_TERMS))
    excluded = set(terms) | set(FUNCTION_WORDS) | set(PREPOSITIONS)
    plain = [word for word in source_words if word not in excluded]
    rng.shuffle(plain)
    plain = plain[:VOCABULARY_SIZE - len(terms)]
    rng.shuffle(terms)

    # One academic term in every three of the first ranks, so they are frequent but not alone at the top.
    ranked: list[str] = []
    plain_iter, term_iter = iter(plain), iter(terms)
    for rank in itertools.count():
        pick = next(term_iter, None) if rank % 3 == 0 else None
        pick = pick or next(plain_iter, None)
        if pick is None:
            break
        ranked.append(pick)
    return ranked, source


# --- people --------------------------------------------------------------------------------------


def accented(rng: random.Random, name: str) -> str:
    positions = [i for i, ch in enumerate(name) if ch in ACCENTS and i > 0]
    if not positions:
        return name
    i = rng.choice(positions)
    return name[:i] + rng.choice(ACCENTS[name[i]]) + name[i + 1:]


def name_syllables(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(NAME_ONSETS) + rng.choice(NAME_VOWELS) + rng.choice(NAME_CODAS) for _ in range(count))


def invent_given(rng: random.Random) -> str:
    name = (name_syllables(rng, rng.choice((1, 1, 2))) + rng.choice(GIVEN_ENDINGS)).capitalize()
    return accented(rng, name) if rng.random() < 0.08 else name


def invent_family(rng: random.Random) -> str:
    name = (name_syllables(rng, rng.choice((1, 1, 2))) + rng.choice(FAMILY_ENDINGS)).capitalize()
    if rng.random() < 0.1:
        name = accented(rng, name)
    if rng.random() < 0.01:
        name = "O'" + name
    return name


def unique_names(rng: random.Random, count: int, invent) -> list[str]:
    names: dict[str, str] = {}
    while len(names) < count:
        name = invent(rng)
        names.setdefault(fold(name), name)
    return sorted(names.values())


@dataclass
class People:
    given: list[str]
    family: list[str]
    used: set[str] = field(default_factory=set)  # folded names already given to someone

    def person(self, rng: random.Random, middle_initial: float = 0.2, leading: bool = False) -> str:
        """Return a new person "Family, Given", never one already used and always read as a person by ingest.

        A `leading` person opens a contributor list, and there a particle is capitalised ("Van der Berg"),
        as Dutch usage has it when the family name comes first. Advisors keep lower-case particles.
        """
        while True:
            family = rng.choice(self.family)
            roll = rng.random()
            if roll < 0.05:
                family = f"{family}-{rng.choice(self.family)}"
            elif roll < 0.09:
                particle = rng.choice(PARTICLES)
                family = f"{particle[0].upper() + particle[1:] if leading else particle} {family}"
            given = rng.choice(self.given)
            if rng.random() < 0.1:
                given = f"{given} {rng.choice(self.given)}"
            if rng.random() < middle_initial:
                given = f"{given} {rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.choice(('', '.'))}"
            name = f"{family}, {given}"
            if fold(name) not in self.used and is_inverted_person(name):
                self.used.add(fold(name))
                return name


@dataclass
class Advisor:
    name: str
    variant: str | None  # another spelling of the same person, printed on some theses

    def printed(self, rng: random.Random) -> str:
        return self.variant if self.variant and rng.random() < 0.25 else self.name


def without_initial(name: str) -> str | None:
    """Return the name without its trailing initial ("Groth, Katrina M" gives "Groth, Katrina"), or None."""
    match = re.fullmatch(r"(.+, .+?) [A-Z]\.?", name)
    return match.group(1) if match else None


# --- departments --------------------------------------------------------------------------------


@dataclass
class Department:
    name: str
    topic: Weighted  # words this department's abstracts use more often
    subjects: Weighted
    advisors: Weighted


def check_department(name: str) -> None:
    """Fail early when ingest would read a department name as a person, a degree or a publisher."""
    if is_inverted_person(name) or is_natural_person(name) or is_degree(name) or is_publisher(name):
        raise ValueError(f"invalid department {name!r}: ingest would read it as a person, a degree or a "
                         "publisher; add an organisation word such as 'Studies' or 'Sciences'")


def make_departments(rng: random.Random, vocabulary: list[str], people: People, count: int) -> list[Department]:
    weights = [1.0 / (rank + 1.5) ** 1.1 for rank in range(len(DEPARTMENTS))]
    share = [weight / sum(weights) for weight in weights]
    departments = []
    for name, fraction in zip(DEPARTMENTS, share):
        check_department(name)
        topic_words = rng.sample(vocabulary[60:4000], 120)
        subject_pool = []
        for _ in range(14):
            words = [rng.choice(ACADEMIC_TERMS)] + ([rng.choice(topic_words)] if rng.random() < 0.6 else [])
            subject_pool.append(" ".join(words).capitalize())
        subject_pool = list(dict.fromkeys(subject_pool))
        advisor_count = max(4, round(count * fraction / 9))
        advisors = []
        for _ in range(advisor_count):
            advisor = people.person(rng, middle_initial=0.35)
            variant = without_initial(advisor) if rng.random() < 0.12 else None
            if variant and fold(variant) in people.used:
                variant = None
            advisors.append(Advisor(advisor, variant))
        departments.append(Department(name, zipf(topic_words, 0.9), zipf(subject_pool, 1.0), zipf(advisors, 0.8, 3.0)))
    return departments


# --- text -----------------------------------------------------------------------------------------


class Writer:
    """Titles and abstracts from the ranked vocabulary, with a department's topic words mixed in."""

    def __init__(self, vocabulary: list[str]):
        self.words = zipf(vocabulary)

    def content_words(self, rng: random.Random, department: Department, count: int) -> list[str]:
        general = self.words.draws(rng, count)
        topical = department.topic.draws(rng, count)
        return [t if rng.random() < 0.3 else g for g, t in zip(general, topical)]

    def noun_phrase(self, rng: random.Random, pool: list[str]) -> list[str]:
        size = rng.choice((1, 2, 2, 3))
        words = [pool.pop() for _ in range(size)]
        article = rng.choice(("the", "the", "a", "", ""))
        if article == "a" and words[0][0] in "aeiou":
            article = "an"
        return ([article] if article else []) + words

    def sentence(self, rng: random.Random, pool: list[str]) -> list[str]:
        if rng.random() < 0.2:
            words = rng.choice(FINDINGS).split() + self.noun_phrase(rng, pool) + [third_person(rng.choice(VERBS))]
        else:
            subject = rng.choice(SUBJECTS)
            verb = rng.choice(VERBS)
            words = subject.split() + [verb if subject.endswith("we") or subject == "We" else third_person(verb)]
        words += self.noun_phrase(rng, pool)
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            words += [rng.choice(PREPOSITIONS)] + self.noun_phrase(rng, pool)
        if rng.random() < 0.35:
            words[-1] += ","
            words += [rng.choice(CONNECTIVES), third_person(rng.choice(VERBS))] + self.noun_phrase(rng, pool)
        words[-1] += "."
        return words

    def abstract(self, rng: random.Random, department: Department, length: int) -> str:
        pool = self.content_words(rng, department, length + 40)
        words: list[str] = []
        while len(words) < length:
            if len(pool) < 40:
                pool += self.content_words(rng, department, 200)
            words += self.sentence(rng, pool)
        words = words[:length]
        while words[-1].rstrip(",.") in SMALL_TITLE_WORDS or words[-1].rstrip(",.") in FUNCTION_WORDS:
            words.pop()
        words[-1] = words[-1].rstrip(",.") + "."
        return " ".join(words)

    def title(self, rng: random.Random, department: Department) -> str:
        length = min(18, max(6, round(rng.gauss(10.5, 3))))
        pool = self.content_words(rng, department, 60)
        words = rng.choice(TITLE_OPENERS).split() if rng.random() < 0.3 else []
        words += self.noun_phrase(rng, pool)
        while len(words) < length:
            if rng.random() < 0.15 and ":" not in " ".join(words):
                words[-1] += ":"
                words += self.noun_phrase(rng, pool)
            else:
                words += [rng.choice(PREPOSITIONS)] + self.noun_phrase(rng, pool)
        words = words[:length]
        while words[-1].rstrip(":") in SMALL_TITLE_WORDS:
            words[-1] = pool.pop()
        words[-1] = words[-1].rstrip(":")
        if rng.random() < 0.2:
            return " ".join(words).upper()
        return " ".join(title_case(word, first=index == 0 or words[index - 1].endswith(":"))
                        for index, word in enumerate(words))


def third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def title_case(word: str, first: bool) -> str:
    return word if word in SMALL_TITLE_WORDS and not first else word[:1].upper() + word[1:]


# --- theses ---------------------------------------------------------------------------------------


@dataclass
class Thesis:
    """One generated thesis: what its listing item prints, and the record ingest would make of it."""

    title: str
    date: str  # as printed, which is also the ISO form
    authors: list[str]
    advisors: list[str]
    department: str
    degree: str | None
    thumbnail: str | None  # "Thumbnail Image", "No Thumbnail Available" or None for no marker
    abstract: str
    subjects: list[str]
    id: str = ""
    file: str = ""
    position: int = 0
    line: int = 0

    @property
    def contributor_line(self) -> str:
        values = self.authors + self.advisors + [self.department] + ([self.degree] if self.degree else []) + PUBLISHERS
        return f"({self.date}) " + "; ".join(values)

    def record(self) -> dict:
        record = records.empty_record(self.id)
        record.update({
            "title": self.title,
            "authors": list(self.authors),
            "advisors": list(self.advisors),
            "department": self.department,
            "publishers": list(PUBLISHERS),
            "date_issued": self.date,
            "degree": self.degree,
            "item_type": "Item",
            "abstract": self.abstract,
            "abstract_complete": True,
            "thumbnail": self.thumbnail == "Thumbnail Image",
        })
        # Ingest keeps a digest of every field the listing gave a value. Subjects come from a curator, without one.
        digests = {name: records.digest(record[name]) for name in records.SOURCE_FIELDS
                   if record[name] not in (None, "", [])}
        record["subjects"] = list(self.subjects)
        record["source"] = {
            "file": self.file,
            "position": self.position,
            "line": self.line,
            "format": "dspace7-text",
            "scope": SCOPE.handle,
            "key": records.match_key(self.title, self.authors[0], dates.year_of(self.date)),
            "roles": "inferred",
            "digests": dict(sorted(digests.items())),
        }
        return record


class Generator:
    def __init__(self, count: int, seed: int, use_dictionary: bool = True):
        self.count = count
        self.seed = seed
        self.rng = random.Random(seed)
        self.vocabulary, self.vocabulary_source = build_vocabulary(self.rng, use_dictionary)
        self.people = People(unique_names(self.rng, 2500, invent_given), unique_names(self.rng, 3500, invent_family))
        self.departments = make_departments(self.rng, self.vocabulary, self.people, count)
        weights = [1.0 / (rank + 1.5) ** 1.1 for rank in range(len(self.departments))]
        self.department_choice = Weighted(self.departments, weights)
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.year_choice = Weighted(years, [math.exp((year - FIRST_YEAR) / 9) for year in years])
        self.writer = Writer(self.vocabulary)
        self.repeat_authors: list[tuple[str, int]] = []  # master's graduates who may come back for a doctorate

    def theses(self) -> list[Thesis]:
        keys: set[str] = set()
        result = []
        while len(result) < self.count:
            thesis = self.thesis()
            key = records.match_key(thesis.title, thesis.authors[0], dates.year_of(thesis.date))
            if key not in keys:  # ingest would merge two items with one key into one record
                keys.add(key)
                result.append(thesis)
        # Newest first, as a DSpace search sorted by date shows them.
        result.sort(key=lambda thesis: thesis.date, reverse=True)
        return result

    def thesis(self) -> Thesis:
        rng = self.rng
        department: Department = self.department_choice.draw(rng)
        year = self.year_choice.draw(rng)
        degree = Weighted([d for d, _ in DEGREES], [w for _, w in DEGREES]).draw(rng)
        author = self.author(year, degree)
        advisor_count = rng.choices((1, 2, 3), weights=(70, 25, 5))[0]
        advisors: list[str] = []
        for _ in range(advisor_count * 3):
            if len(advisors) == advisor_count:
                break
            advisor = department.advisors.draw(rng).printed(rng)
            if all(fold(advisor) != fold(other) for other in advisors + [author]):
                advisors.append(advisor)
        return Thesis(
            title=self.writer.title(rng, department),
            date=self.date(year),
            authors=[author],
            advisors=advisors,
            department=department.name,
            degree=degree,
            thumbnail=rng.choices(("Thumbnail Image", None, "No Thumbnail Available"), weights=(80, 15, 5))[0],
            abstract=self.writer.abstract(rng, department, round(rng.triangular(150, 450, 257))),
            subjects=sorted(set(department.subjects.draws(rng, rng.choice((2, 3, 3, 4, 5))))),
        )

    def author(self, year: int, degree: str | None) -> str:
        """A new person, or now and then a master's graduate of an earlier year writing a dissertation."""
        if degree == "Doctor of Philosophy" and self.repeat_authors and self.rng.random() < 0.1:
            for index, (name, master_year) in enumerate(self.repeat_authors):
                if master_year < year:
                    del self.repeat_authors[index]
                    return name
        name = self.people.person(self.rng, leading=True)
        if degree and degree.startswith("Master") and len(self.repeat_authors) < 200:
            self.repeat_authors.append((name, year))
        return name

    def date(self, year: int) -> str:
        roll = self.rng.random()
        if roll < 0.65:
            return str(year)
        month = self.rng.randint(1, 12)
        if roll < 0.9:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"


# --- writing --------------------------------------------------------------------------------------


def listing_header(total: int, first: int, last: int) -> list[str]:
    return [
        SCOPE.name, "",
        f"Permanent URI for this {SCOPE.kind}{SCOPE.handle}", "",
        SCOPE.description, "",
        "Browse", "",
        "Search Results", "",
        f"Now showing {first} - {last} of {total}",
    ]


def item_lines(thesis: Thesis) -> list[str]:
    lines = []
    if thesis.thumbnail:
        lines += [f"  • {thesis.thumbnail}", "    Item"]
    else:
        lines += ["  • Item"]
    return lines + [f"    {thesis.title}", f"    {thesis.contributor_line}", f"    {thesis.abstract}"]


@dataclass
class ListingFile:
    """One listing page: its file name, the item numbers it shows ("Now showing FIRST - LAST") and its lines."""

    name: str
    first: int
    last: int
    lines: list[str]


def assign_pages(theses: list[Thesis], page_size: int) -> list[ListingFile]:
    """Give each thesis its listing file, position and line, and its id in the order ingest reads them."""
    pages = []
    taken: set[str] = set()
    for start in range(0, len(theses), page_size):
        chunk = theses[start:start + page_size]
        name = f"page-{start // page_size + 1:05d}.txt"
        lines = listing_header(len(theses), start + 1, start + len(chunk))
        for position, thesis in enumerate(chunk, start=1):
            thesis.file, thesis.position, thesis.line = name, position, len(lines) + 1
            lines += item_lines(thesis)
            family = thesis.authors[0].split(",", 1)[0]
            thesis.id = records.make_id(family, dates.year_of(thesis.date), thesis.title, taken)
            taken.add(thesis.id)
        pages.append(ListingFile(name, start + 1, start + len(chunk), lines))
    return pages


def write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


SITE_YAML = """\
# A synthetic collection made by bench/generate.py (--count {count} --seed {seed}).
title: Ashmere Theses and Dissertations
description: >-
  {count} invented theses from {departments} departments, for benchmarks and tests. Names, titles and
  abstracts are generated; none of them describes a real person or work.
base_url: {base_url}
institution: {institution}
degree_level: doctoral
"""

ABOUT_MD = """\
---
title: About
menu: 1
---
This collection is synthetic. Its {count} records were generated with seed {seed}: the people, titles
and abstracts are invented, and the abstracts are word salad drawn from a vocabulary with Zipf-like
word frequencies, so that page, listing and search index sizes resemble a real collection's.
"""

GENERATED = ("site.yaml", "collection.yaml", "pages", "theses", "listings")


def write_content(out: Path, generator: Generator, theses: list[Thesis], pages: list[ListingFile], listings: bool) -> dict:
    """Write the content folder; return its sizes."""
    (out / "theses").mkdir(parents=True)
    (out / "pages").mkdir()
    write_text(out / "site.yaml", SITE_YAML.format(count=len(theses), seed=generator.seed, base_url=BASE_URL,
                                                  institution=INSTITUTION, departments=len(DEPARTMENTS)))
    write_text(out / "pages" / "about.md", ABOUT_MD.format(count=len(theses), seed=generator.seed))
    # The same call ingest makes, so that ingesting the listing pages writes the same file.
    harvested = ResultList()
    for page in pages:
        harvested.ranges.add((page.first, page.last))
        harvested.recorded.update(range(page.first, page.last + 1))
    update_collection_file(out / "collection.yaml", {SCOPE.handle: SCOPE}, {SCOPE.handle: len(theses)},
                           {(SCOPE.handle, len(theses)): harvested})

    record_bytes = 0
    for thesis in theses:
        data = records.dump_record(thesis.record()).encode("utf-8")
        record_bytes += len(data)
        (out / "theses" / f"{thesis.id}.yaml").write_bytes(data)

    listing_bytes = 0
    if listings:
        (out / "listings").mkdir()
        for page in pages:
            data = ("\n".join(page.lines) + "\n").encode("utf-8")
            listing_bytes += len(data)
            (out / "listings" / page.name).write_bytes(data)
    return {"record_bytes": record_bytes, "listing_bytes": listing_bytes}


def generate(count: int, seed: int, out: Path, listings: bool = False, page_size: int = 20,
             use_dictionary: bool = True) -> dict:
    """Generate `count` theses into the content folder `out`; return a summary of what was written."""
    started = time.perf_counter()
    generator = Generator(count, seed, use_dictionary)
    theses = generator.theses()
    pages = assign_pages(theses, page_size)
    sizes = write_content(out, generator, theses, pages, listings)
    return {
        "records": len(theses),
        "abstract_words": sum(len(thesis.abstract.split()) for thesis in theses),
        "listing_pages": len(pages) if listings else 0,
        "vocabulary": generator.vocabulary_source,
        "seconds": time.perf_counter() - started,
        **sizes,
    }


def clear_output(out: Path, force: bool) -> None:
    present = [out / name for name in GENERATED if (out / name).exists()]
    if present and not force:
        names = ", ".join(path.name for path in present)
        raise SystemExit(f"{out} already holds {names}; choose an empty folder or pass --force to replace them")
    for path in present:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of theses to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same files (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="content folder to write")
    parser.add_argument("--listings", action="store_true", help="also write DSpace 7 text listing pages to OUT/listings/")
    parser.add_argument("--page-size", type=int, choices=(10, 20), default=20, help="items per listing page (default 20)")
    parser.add_argument("--no-dictionary", action="store_true", help=f"make the vocabulary from syllables even when {DICTIONARY} exists")
    parser.add_argument("--force", action="store_true", help="replace the files and folders a previous run wrote in OUT")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object, with the peak memory")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")

    clear_output(args.out, args.force)
    args.out.mkdir(parents=True, exist_ok=True)
    summary = generate(args.count, args.seed, args.out, args.listings, args.page_size, not args.no_dictionary)
    if args.json:
        summary["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(summary))
        return 0
    print(f"Wrote {summary['records']} records ({summary['abstract_words']} abstract words, "
          f"{summary['record_bytes']} bytes of YAML) and {summary['listing_pages']} listing pages to {args.out}/ "
          f"in {summary['seconds']:.1f} s; vocabulary from {summary['vocabulary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
