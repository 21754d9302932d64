"""Words, sentences and syllables of a text, and its Flesch-Kincaid grade: the counting behind
reading-grade-too-high (ML701, `medlint.rules.readability`, whose docs say how and why it counts this way).

Syllables come from the CMU Pronouncing Dictionary table shipped in `data/syllables.tsv`, or for words it
does not list from vowel groups; drug names, initialisms and capitalised words count as one."""
from __future__ import annotations

import functools
import operator
import re
from typing import NamedTuple

from . import packaged

# a word: letters (Latin script, which `language: en` text is written in) or digits, with inner
# apostrophes, hyphens, decimal points and thousands separators; an explicit class is a third faster
# than `[^\W_]`, and this regex is most of the rule's time
WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:['’.,\-][0-9A-Za-z\u00c0-\u024f]+)*")
# a sentence ends at . ! or ? (and closing quotes or brackets) before the end of the text or before a
# space and a word that does not start in lower case: "H. pylori" and "1.1 mg" do not end one
_SENTENCE_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s*$|\s+[^\s\-a-z])")
_JOINER = re.compile(r"[\-.,]")
_NUMBER = re.compile(r"[0-9][0-9.,]*")
_INITIALISM = re.compile(r"(?=.*[A-Z])[A-Z0-9]{2,}")  # SMA, AAV9, SMN1, T4
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# vowel pairs read as two syllables (ri-a, bi-o, flu-id, ide-a, cre-ate) that a vowel-group count merges
_HIATUS = re.compile(r"(?:[^aeiou]i[aou]|ua|uo|ui(?=d)|eo|ea(?=$|te|l))")
# USAN/INN stems that end drug names (rosuvastatin, evolocumab, apixaban): a name is not a writing
# choice, so it counts as one syllable. Stems that end common English words (-ine, -ase, -azine as in
# "magazine", -terol as in "cholesterol", -ercept as in "intercept") are left out.
_DRUG_STEMS = (
    "statin", "mibe", "fibrate", "pril", "sartan", "olol", "alol", "dipine", "apine", "peridone", "grel",
    "xaban", "gatran", "parin", "parinux", "formin", "gliptin", "glutide", "gliflozin", "glinide",
    "cillin", "cycline", "mycin", "micin", "oxacin", "azole", "penem", "bactam", "vir", "mab", "nib",
    "ciclib", "lisib", "parib", "zomib", "platin", "rubicin", "taxel", "tecan", "trexate", "mustine",
    "nercept", "bercept", "kinra", "leukin", "plase", "leucel", "vec", "siran", "ersen", "irsen", "gepant",
    "triptan", "setron", "tidine", "lukast", "sone", "olone", "onide", "buterol", "meterol", "moterol", "anterol",
    "tropium", "profen", "fenac", "coxib", "caine", "oxetine", "opram", "zepam", "zolam", "triptyline",
    "pramine", "amate", "semide", "thiazide", "dronate", "afil", "relin", "relix", "pressin",
    "atadine", "astine", "izine",  # antihistamines: loratadine, azelastine, cetirizine
)
_MIN_STEM_WORD = 7  # "april", "worsen", "vir" are words, not names


class Counts(NamedTuple):
    words: int
    sentences: int
    syllables: int


class SyllableTable:
    """Syllable counts of the CMU Pronouncing Dictionary, from the sorted table shipped in the package
    (scripts/build_syllable_table.py), searched by bisection in the text as read: parsing the dictionary
    itself would cost a one-file pre-commit run ~150 ms, and even splitting the table into its 126,000
    lines ~25 ms."""

    def __init__(self, text: str) -> None:
        self._text = text  # "word\tcount" lines, sorted

    def get(self, word: str) -> int | None:
        key, text = word + "\t", self._text
        lo, hi = 0, len(text)  # lo: a line's start; the first line not below `key` starts in [lo, hi]
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", lo, mid) + 1 or lo  # a line's start in [lo, mid]
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if text[start:end] < key:
                lo = end + 1
            else:
                hi = start
        if lo < len(text) and text.startswith(key, lo):
            end = text.find("\n", lo)
            return int(text[lo + len(key):len(text) if end < 0 else end])
        return None

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


@functools.cache
def _cmu() -> SyllableTable:
    text = packaged.path("data", "syllables.tsv").read_text(encoding="utf-8")
    return SyllableTable(text)


def in_dictionary(word: str) -> bool:
    """The CMU Pronouncing Dictionary lists the lower-case word: an English word, not a name."""
    return word in _cmu()


@functools.cache
def generic_names() -> frozenset[str]:
    """One-word generic drug names from the FDA's UNII list (data/generic-names.txt; its header says how it
    was built): `loratadine`, `naproxen`, `acetaminophen`."""
    text = packaged.path("data", "generic-names.txt").read_text(encoding="utf-8")
    lines = text.split("\n")  # the set is built at C speed: a one-record run reads the whole list
    return frozenset(lines).difference(["", *filter(operator.methodcaller("startswith", "#"), lines)])


def estimate_syllables(word: str) -> int:
    """Syllables of a lower-case word that the dictionary does not list, by vowel groups."""
    count = len(_VOWEL_GROUP.findall(word)) + len(_HIATUS.findall(word))
    if count > 1 and ((word.endswith("e") and not word.endswith(("le", "ee", "ye")))
                      or (word.endswith("es") and not word.endswith(("ses", "zes", "ces", "ges", "xes", "shes",
                                                                     "ches", "ies")))
                      or (word.endswith("ed") and not word.endswith(("ted", "ded")))):
        count -= 1  # silent e: "gene", "types", "caused"
    return max(1, count)


@functools.lru_cache(maxsize=65536)
def syllables(token: str) -> int:
    """Syllables of one word as written: a number is read as one, a hyphenated compound as the sum
    of its parts, other words from the dictionary or, failing that, by vowel groups."""
    if _NUMBER.fullmatch(token):
        return 1
    lower = token.lower().replace("’", "'")
    known = _cmu().get(lower)
    if known is not None:
        return max(1, known)
    parts = _JOINER.split(token)
    if len(parts) > 1:
        return sum(syllables(part) for part in parts if part)
    return estimate_syllables(lower.removesuffix("'s").replace("'", ""))


@functools.lru_cache(maxsize=65536)
def name_key(token: str) -> str:
    """A word as names are listed: lower case, without a possessive (`Loratadine's` -> `loratadine`)."""
    return token.lower().replace("’", "'").removesuffix("'s")


@functools.lru_cache(maxsize=65536)
def is_drug_name(token: str) -> bool:
    """An initialism (`SMA`, `AAV9`), a generic drug name (`naproxen`) or a word ending in a drug-name stem
    (`rosuvastatin`)."""
    if _INITIALISM.fullmatch(token):
        return True
    word = name_key(token)
    if word in generic_names():
        return True
    word = word.removesuffix("s")
    return len(word) >= _MIN_STEM_WORD and word.endswith(_DRUG_STEMS)


@functools.lru_cache(maxsize=65536)
def _inner_word(token: str) -> int:
    """Syllables as graded of a word inside a sentence: a name counts as one (a drug name, an
    initialism, or any capitalised word)."""
    return 1 if token[0].isupper() or is_drug_name(token) else syllables(token)


@functools.lru_cache(maxsize=65536)
def _first_word(token: str) -> int:
    """Syllables as graded of a sentence's first word: capitalised anyway, it is a name only when the
    dictionary does not list it (`Spinraza`, not `Muscles`)."""
    if is_drug_name(token) or (token[0].isupper() and token.lower() not in _cmu()):
        return 1
    return syllables(token)


def _token_syllables(tokens: list[str], names: frozenset[str]) -> list[int]:
    if names.isdisjoint(tokens):  # the common case, at C speed
        return [_first_word(tokens[0]), *map(_inner_word, tokens[1:])]
    return [1 if token in names else _first_word(token) if index == 0 else _inner_word(token)
            for index, token in enumerate(tokens)]


def measure_text(text: str, names: frozenset[str] = frozenset()) -> tuple[Counts, list[tuple[str, int]]]:
    """Words, sentences and syllables of one text (text without end punctuation is one sentence), and the
    words as written that count more than one syllable, with their counts. `names` are words that count as
    one syllable, as written (see `rules.readability.record_names`)."""
    words = sentences = syl = 0
    long_words: list[tuple[str, int]] = []
    for sentence in _SENTENCE_END.split(text):
        tokens = WORD.findall(sentence)
        if tokens:
            sentences += 1
            words += len(tokens)
            counted = _token_syllables(tokens, names)
            total = sum(counted)
            syl += total
            if total > len(tokens):  # some word has more than one syllable
                long_words += [(token, n) for token, n in zip(tokens, counted, strict=True) if n > 1]
    return Counts(words, sentences, syl), long_words


def count(text: str, names: frozenset[str] = frozenset()) -> Counts:
    """Words, sentences and syllables of one text (see `measure_text`)."""
    return measure_text(text, names)[0]


def grade(counts: Counts) -> float:
    """The Flesch-Kincaid grade level of counted text."""
    if not counts.words:
        return 0.0
    return 0.39 * counts.words / counts.sentences + 11.8 * counts.syllables / counts.words - 15.59
