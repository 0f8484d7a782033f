"""Contributor values: telling persons from organisations, normalising names, assigning roles.

DSpace 7 lists print every contributor value in one "; "-separated list: the authors
(dc.contributor.author), then the other dc.contributor qualifiers in order (advisor, department),
then the publisher values. The list does not say where one role ends and the next begins, so
roles are inferred here:

* A value is a person when it has the "Family, Given" shape and no organisation words
  ("Education Policy, and Leadership" is not a person), or when it is a short run of
  capitalised name words in natural order ("Hunter Christensen", "Dr. Eric Kindahl"), which
  is turned into "Family, Given" and reported as a guess.
* Persons come first. The values after them are a degree ("Master of Arts"), publishers
  (repository, press, or a place in brackets such as "(College Park, Md.)") or the department
  (the first other value).
* Role rule "department" (the default): with a department after the persons, the first
  person is the author and the others are advisors. Without one, every person is an author
  and the roles are reported as uncertain. Rule "first-author" always makes the others
  advisors; rule "all-authors" never does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

ROLE_RULES = ("department", "first-author", "all-authors")

# Words that mark a value as an organisation, a programme or a degree, never a person.
ORGANISATION_WORDS = frozenset(
    """
    university universities college school department dept institute institution program programme
    repository library libraries center centre press publishing publishers faculty division
    society association laboratory laboratories lab engineering science sciences studies
    education policy leadership doctor master masters bachelor affairs services management
    administration adimistration arts languages language literature history geography physics
    chemistry biology mathematics economics music medicine law philosophy psychology sociology
    anthropology linguistics planning architecture design business communication communications
    technology health nursing pharmacy agriculture environmental environment public international
    research graduate undergraduate honors honours theses dissertations digital archives museum
    government foundation council committee office board academy seminary hospital company inc
    ltd llc corporation group network systems
    """.split()
)
CONNECTIVE_WORDS = frozenset({"and", "of", "for", "the", "in", "at", "on", "&"})
PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
     "ten", "ter", "bin", "ibn", "al", "el", "st.", "mac"}
)
HONORIFICS = frozenset({"dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "mx."})
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

DEGREE_PATTERN = re.compile(
    r"(?:^|[.;]\s*)(?:doctor|master|bachelor)(?:'s)?\s+of\b|\b(?:ph\.?\s?d|m\.?\s?a|m\.?\s?s|ed\.?\s?d|d\.?\s?m\.?\s?a)\.?$",
    re.IGNORECASE,
)
PUBLISHER_PATTERN = re.compile(r"\brepository\b|\bpress\b|\bpublish|\([^()]*,\s*[A-Z][a-z]*\.?\)$", re.IGNORECASE)

# A name word: a capitalised word (any script), an initial ("J", "J.", "S.E."), with hyphens and apostrophes.
_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?|(?:[^\W\d_]\.){1,3})$")


def clean_value(value: str) -> str:
    """Collapse spaces and fix doubled commas: "Chellappa,, Rama" becomes "Chellappa, Rama"."""
    value = " ".join(value.split())
    value = re.sub(r"\s*,(?:\s*,)+", ",", value)
    value = re.sub(r"\s+,", ",", value)
    value = re.sub(r",(?=\S)", ", ", value) if _looks_inverted(value) else value
    return value.strip(" ;")


def _looks_inverted(value: str) -> bool:
    return value.count(",") == 1 and not any(ch.isdigit() for ch in value)


def _words(text: str) -> list[str]:
    return text.split()


def _is_name_word(word: str) -> bool:
    if not _NAME_WORD.match(word):
        return False
    return word[0].isupper()


def _has_organisation_words(text: str) -> bool:
    for word in re.split(r"[\s.,()/]+", text.casefold()):
        if word in ORGANISATION_WORDS or word in CONNECTIVE_WORDS:
            return True
    return "&" in text or any(ch.isdigit() for ch in text)


def is_inverted_person(value: str) -> bool:
    """True for the "Family, Given" shape with no organisation words."""
    if value.count(",") not in (1, 2) or _has_organisation_words(value):
        return False
    parts = [part.strip() for part in value.split(",")]
    family, given = parts[0], parts[1]
    if len(parts) == 3 and parts[2].casefold().rstrip(".") not in {s.rstrip(".") for s in SUFFIXES}:
        return False
    family_words, given_words = _words(family), _words(given)
    if not 1 <= len(family_words) <= 4 or not 1 <= len(given_words) <= 5:
        return False
    if not all(_is_name_word(w) or w.casefold() in PARTICLES for w in family_words):
        return False
    if not any(_is_name_word(w) for w in family_words):
        return False
    return all(_is_name_word(w) or w.casefold() in SUFFIXES for w in given_words)


def is_natural_person(value: str) -> bool:
    """True for a short run of name words in natural order: "Hunter Christensen", "Dr. Eric Kindahl"."""
    if "," in value or _has_organisation_words(value):
        return False
    words = [w for w in _words(value) if w.casefold() not in HONORIFICS]
    if not 2 <= len(words) <= 4:
        return False
    if not all(_is_name_word(w) or w.casefold() in PARTICLES or w.casefold() in SUFFIXES for w in words):
        return False
    # The family name (the last non-suffix word) must be a whole word, not an initial.
    core = [w for w in words if w.casefold() not in SUFFIXES]
    return len(core) >= 2 and len(core[-1].rstrip(".")) > 1


def natural_to_inverted(value: str) -> str:
    """Turn "Dr. Eric van Kindahl Jr." into "van Kindahl, Eric, Jr.": honorifics dropped, particles kept."""
    words = [w for w in _words(value) if w.casefold() not in HONORIFICS]
    suffix = [w for w in words if w.casefold() in SUFFIXES]
    core = [w for w in words if w.casefold() not in SUFFIXES]
    family_start = len(core) - 1
    while family_start > 1 and core[family_start - 1].casefold() in PARTICLES:
        family_start -= 1
    family = " ".join(core[family_start:])
    given = " ".join(core[:family_start])
    name = f"{family}, {given}"
    return f"{name}, {' '.join(suffix)}" if suffix else name


def is_degree(value: str) -> bool:
    return bool(DEGREE_PATTERN.search(value))


def is_publisher(value: str, group_publisher: str | None = None) -> bool:
    if group_publisher and fold(value) == fold(group_publisher):
        return True
    return bool(PUBLISHER_PATTERN.search(value))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing and sorting names and titles."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("ø", "o").replace("ł", "l").replace("đ", "d").replace("ß", "ss").split())


def family_name(person: str) -> str:
    return person.split(",", 1)[0].strip()


@dataclass
class Contributors:
    """Contributor values sorted into roles, with what was guessed."""

    authors: list[str] = field(default_factory=list)
    advisors: list[str] = field(default_factory=list)
    department: str | None = None
    publishers: list[str] = field(default_factory=list)
    degree: str | None = None
    printed: dict[str, list[str]] = field(default_factory=dict)  # field -> printed values, where they differ
    guesses: list[str] = field(default_factory=list)  # guesses the report should show
    certain: bool = True  # False when the roles of the persons are a guess


@dataclass
class _Person:
    printed: str
    name: str


def assign_roles(values: list[str], rule: str = "department", group_publisher: str | None = None) -> Contributors:
    """Sort printed contributor values into authors, advisors, department, publishers and degree."""
    if rule not in ROLE_RULES:
        raise ValueError(f"unknown role rule {rule!r}; expected one of {', '.join(ROLE_RULES)}")
    result = Contributors()
    persons, others = _split_persons(values, result)

    departments: list[str] = []
    for value in others:
        if result.degree is None and is_degree(value):
            result.degree = value
        elif is_publisher(value, group_publisher) or departments:
            result.publishers.append(value)
        else:
            departments.append(value)
    result.department = departments[0] if departments else None
    if group_publisher and not any(fold(p) == fold(group_publisher) for p in result.publishers):
        result.publishers.insert(0, group_publisher)

    _assign_person_roles(persons, rule, result)
    return result


def _split_persons(values: list[str], result: Contributors) -> tuple[list[_Person], list[str]]:
    """Take the leading run of person values; the rest are organisations, degree or publishers."""
    persons: list[_Person] = []
    index = 0
    for index, printed in enumerate(values):
        value = clean_value(printed)
        if is_inverted_person(value):
            persons.append(_Person(printed, value))
        elif is_natural_person(value):
            name = natural_to_inverted(value)
            result.guesses.append(f"read the name {printed!r} as {name!r} (natural order)")
            persons.append(_Person(printed, name))
        else:
            break
    else:
        index = len(values)
    return persons, [clean_value(v) for v in values[index:]]


def _assign_person_roles(persons: list[_Person], rule: str, result: Contributors) -> None:
    if rule == "all-authors" or (rule == "department" and result.department is None):
        authors, advisors = persons, []
        if rule == "department" and len(persons) > 1:
            result.certain = False
            result.guesses.append(
                f"roles uncertain: no department follows the {len(persons)} persons, so all are recorded as authors"
            )
    else:
        authors, advisors = persons[:1], persons[1:]
    result.authors = [p.name for p in authors]
    result.advisors = [p.name for p in advisors]
    for role, group in (("authors", authors), ("advisors", advisors)):
        if any(p.printed != p.name for p in group):
            result.printed[role] = [p.printed for p in group]
