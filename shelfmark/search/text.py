"""Turning text into index terms, the same way at build time (lunr.py) and in the browser (lunr.js).

A word typed in the browser finds a thesis only if both sides make the same term of it, so every
step here has a twin in assets/search.js, and tests/test_search_index.py compares the two over a
large word list:

1. fold: Unicode NFKD, non-spacing marks removed, lower case, a few letters with no decomposition
   spelt out ("ø" as "o", "ß" as "ss"), apostrophes removed ("O'Brien" is "obrien", "model's" is
   "models");
2. split on whitespace, hyphens and dashes, "/" and the characters of lunr's query syntax;
3. trim: characters other than letters and digits removed from both ends;
4. the stop-word filter of lunr, except in the people fields, where "May" and "Will" are names;
5. the Porter stemmer of lunr.py, patched so that step 1c matches lunr.js 2.3.9.

Steps 1-3 run before the text reaches lunr, in search.js too. Steps 4-5 are lunr pipeline functions.
"""

from __future__ import annotations

import re
import unicodedata

from lunr.pipeline import Pipeline
from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token

PEOPLE_FIELDS = ("authors", "advisors")

# Word separators: the whitespace that JavaScript's \s matches, hyphen-minus, U+2010-U+2015
# (hyphens and dashes), U+2212 (minus) and "/*^~:+". The list is spelt out because Python's \s
# and JavaScript's \s differ. search.js has the same list.
SEPARATOR_CHARACTERS = (
    "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
    "\u2010-\u2015\u2212/*^~:+-"
)
_WORD = re.compile(f"[^{SEPARATOR_CHARACTERS}]+")

# Letters that NFKD leaves whole, and apostrophes, which are removed so that a name is one word.
LETTERS = {
    "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe",
    "þ": "th", "ð": "d", "'": "", "\u2018": "", "\u2019": "", "\u02bc": "", "\u2032": "",
}
_LETTER_TABLE = str.maketrans(LETTERS)

# [\W_] is "neither a letter nor a digit" for Python's re, as [^\p{L}\p{N}] is in JavaScript.
_LEADING = re.compile(r"^[\W_]+")
_TRAILING = re.compile(r"[\W_]+\Z")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_nonspacing_marks(match: re.Match[str]) -> str:
    return "".join(ch for ch in match.group() if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lower case with accents removed: "Élodie Müller-Ørsted" becomes "elodie muller-orsted"."""
    if text.isascii():
        return text.lower().replace("'", "")
    text = unicodedata.normalize("NFKD", text)
    text = _NON_ASCII.sub(_without_nonspacing_marks, text)
    return text.lower().translate(_LETTER_TABLE)


def words(text: str) -> list[str]:
    """Split a text into folded words, before trimming."""
    return _WORD.findall(fold(text))


def trim(word: str) -> str:
    """Remove what is not a letter or digit from both ends of a word."""
    word = _LEADING.sub("", word, count=1)
    return _TRAILING.sub("", word, count=1)


class LunrJsStemmer(PorterStemmer):
    """lunr.py's Porter stemmer with step 1c as lunr.js 2.3.9 has it.

    lunr.py 0.8.0 turns a final "y" into "i" whenever the stem contains a vowel ("survey" becomes
    "survei"), while lunr.js does it only after a consonant that is not the first letter
    (its pattern is ^(.+?[^aeiou])y$), so "survey" stays. The browser stems queries with lunr.js,
    so the index must be stemmed its way.
    """

    def step1c(self) -> None:
        if self.ends("y") and self.j > self.k0 and self.b[self.j] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1:]


_STEMMER = LunrJsStemmer()


def stem(word: str) -> str:
    return _STEMMER.stem(word)


def trimmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token | None:
    """Pipeline function: trim(); a token left empty is dropped."""
    token.update(lambda string, metadata: trim(string))
    return token if token.string else None


def stemmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """Pipeline function: the stemmer that matches lunr.js."""
    return token.update(lambda string, metadata: _STEMMER.stem(string))


Pipeline.register_function(trimmer, "shelfmark-trimmer")
# The label is the name of lunr.js's stemmer, which this one matches, so a serialised index loads
# in lunr.js with that stemmer. It is set, not registered, because registering would replace lunr.py's "stemmer".
stemmer.label = "stemmer"  # type: ignore[attr-defined]


def index_pipeline() -> Pipeline:
    """Make the pipeline for indexed text: trimmer, stop-word filter (skipped in people fields), stemmer."""
    pipeline = Pipeline()
    pipeline.add(trimmer, stop_word_filter, stemmer)
    pipeline.skip(stop_word_filter, list(PEOPLE_FIELDS))
    return pipeline


def search_pipeline() -> Pipeline:
    """Make the pipeline lunr applies to query terms: the stemmer only, because search.js folds and trims first."""
    pipeline = Pipeline()
    pipeline.add(stemmer)
    return pipeline


class Analyzer:
    """Index terms of field values, each distinct word run through the lunr pipeline once.

    Every pipeline function works on one token alone, so a word gives the same term wherever it
    occurs, and the cache changes nothing but the speed.
    """

    def __init__(self) -> None:
        self.pipeline = index_pipeline()
        self._cache: dict[bool, dict[str, str | None]] = {True: {}, False: {}}

    def terms(self, text: str, field: str) -> list[str]:
        cache = self._cache[field in PEOPLE_FIELDS]
        found = words(text)
        for word in set(found).difference(cache):
            cache[word] = self.term(word, field)
        return list(filter(None, map(cache.__getitem__, found)))

    def term(self, word: str, field: str) -> str | None:
        """Run one folded word through the pipeline: its index term in the field, or None when a step drops it.

        The steps are called as functions on the string: a lunr Pipeline with its Token objects does
        the same (see pipeline_term) at several times the cost.
        """
        trimmed = trim(word)
        if not trimmed or (field not in PEOPLE_FIELDS and trimmed in STOP_WORDS):
            return None
        return _STEMMER.stem(trimmed)

    def pipeline_term(self, word: str, field: str) -> str | None:
        """Run one folded word through lunr.py's Pipeline, which term() does without one; the tests compare the two."""
        tokens = self.pipeline.run([Token(word)], field)
        return tokens[0].string if tokens else None


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS
