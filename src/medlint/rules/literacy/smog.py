"""ML711: the page's SMOG grade, counted as the NHS content guide and McLaughlin's SMOG instructions say."""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ...model import Hit, Severity
from ...record import Record
from ...syllables import measure_text
from ..base import Docs, Rule, RuleContext, option
from ..readability import record_names
from ._page import page

_SAMPLE = 30  # McLaughlin's sample: three runs of ten sentences; shorter texts are scaled up to it


class Smog(NamedTuple):
    sentences: int
    polysyllables: int
    hardest: tuple[str, ...]  # the words of three or more syllables, most frequent first

    @property
    def grade(self) -> float:
        """McLaughlin's regression (1969): 1.0430 x sqrt(polysyllables x 30 / sentences) + 3.1291."""
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * _SAMPLE / self.sentences) + 3.1291


def smog(record: Record) -> Smog:
    """Sentences and words of three or more syllables of the page: every heading and every list item is a
    sentence (each text is measured on its own, and a text without end punctuation is one sentence)."""
    names = record_names(record)
    sentences = polysyllables = 0
    counts: dict[str, int] = {}
    for _, text in page(record):
        measured, long_words = measure_text(text, names)
        sentences += measured.sentences
        for word, syllables in long_words:
            if syllables >= 3:
                polysyllables += 1
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
    hardest = sorted(counts, key=lambda word: (-counts[word], word))
    return Smog(sentences, polysyllables, tuple(hardest))


@dataclass(frozen=True)
class SmogOptions:
    max_grade: int = option(10, "the highest acceptable SMOG grade (a US school grade; add 5 for a reading age)")
    min_sentences: int = option(10, "pages with fewer sentences are not graded: McLaughlin's short-text method "
                                    "needs at least 10")


def _check(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: SmogOptions = context.options
    limit, least = options.max_grade, options.min_sentences
    measured = smog(record)
    if measured.sentences < least or "sections" not in record.data:
        return
    score = round(measured.grade, 1)
    if score > limit:
        words = ", ".join(f"`{word}`" for word in measured.hardest[:5])
        yield Hit(("sections",),
                  f"the page reads at SMOG grade {score:.1f} ({measured.polysyllables} words of three or more "
                  f"syllables in {measured.sentences} sentences); aim for {limit} or below",
                  f"say these in shorter everyday words, or explain them once: {words}", on_key=True,
                  subject="sections")


_EXAMPLE = """sections:
  why_used: >-
    Spinal muscular atrophy is an inherited neuromuscular condition. Degeneration of motor neurons
    causes progressive muscle weakness. Respiratory complications are responsible for considerable
    mortality. Zolgensma is indicated for patients with genetically confirmed disease.
  mechanism: >-
    Zolgensma introduces a functional copy of the SMN1 gene into motor neurons, increasing production
    of the survival motor neuron protein.
  what_to_expect:
    - A single intravenous infusion administered over approximately 60 minutes.
    - Corticosteroid medication is required before and after the infusion.
  alternatives: >-
    Alternative treatments include intrathecal nusinersen and oral risdiplam, administered repeatedly.
  when_to_talk_to_doctor:
    - Jaundice, dark urine, or unexplained vomiting, which may indicate liver toxicity.
  faq:
    - question: What is the recommended duration of treatment?
      answer: Zolgensma is administered once. Repeated administration is not recommended.
"""
_USE_INSTEAD = """sections:
  why_used: >-
    SMA is a rare disease that a child is born with. The nerves that move the muscles slowly die.
    The muscles get weak, and over time a child can have trouble breathing and eating.
  mechanism: >-
    Zolgensma brings a working copy of the SMN1 gene into the nerve cells that move the muscles.
  what_to_expect:
    - A single drip into a vein over about 60 minutes.
    - Your child takes a steroid medicine before and after it.
  alternatives: >-
    Two other medicines treat SMA, but they are given again and again.
  when_to_talk_to_doctor:
    - Yellow skin or eyes, dark urine, or vomiting.
  faq:
    - question: How long does treatment last?
      answer: Zolgensma is given once. It is not repeated.
"""

SMOG_GRADE = Rule(
    code="ML711", name="smog-grade-too-high", family="health-literacy", severity=Severity.WARNING,
    summary="The patient-facing page reads above the target SMOG grade.",
    check=_check, default_enabled=False,
    options=SmogOptions,
    docs=Docs(
        what="Grades the whole patient-facing page with SMOG (McLaughlin 1969) and reports a page above "
             "`max-grade`. The page is the title (`indication.condition`, `indication.qualifier`), the summary "
             "and every section: the prose sections, each list item, each FAQ question and answer; the dose "
             "table and its notes are not running text and are left out. Counting follows McLaughlin's "
             "instructions as health-literacy guides reprint them: a sentence ends at a full stop, question "
             "mark or exclamation mark; words of three or more syllables are counted, every time they occur; a "
             "hyphenated word is one word. Headings and list items count as sentences, as the issue "
             "(#18) records the NHS content guide's practice: each FAQ question, the title and each list "
             "item is a sentence whether or not it ends in a full stop. Instead of three samples of ten "
             "sentences (a shortcut for counting by hand) every sentence is counted and the count is scaled "
             "to 30 sentences, which is McLaughlin's method for texts shorter than 30 sentences and gives "
             "the same estimate with less sampling noise on longer ones; the grade is his regression, "
             "1.0430 x sqrt(polysyllables x 30 / sentences) + 3.1291. Syllables are counted exactly as "
             "ML701 counts them (the CMU Pronouncing Dictionary, vowel groups for other words), and, as in "
             "ML701, names count as one syllable (the record's drug names, generic drug names, initialisms, "
             "capitalised words) and numbers as one word of one syllable, where McLaughlin counts "
             "polysyllabic proper nouns and reads numbers aloud: a page cannot name its medicine in "
             "fewer syllables. Pages of fewer than `min-sentences` sentences are not graded.",
        why="The NHS content guide (How we write) aims for a reading age of 9 to 11, and where medical "
            "information makes that hard, for text that an 11 to 14 year old understands; it asks for plain "
            "English first and medical terms explained. The guide's page that medlint could consult offline "
            "does not itself spell out SMOG's counting steps: the steps above are McLaughlin's, and counting "
            "headings and list items as sentences is applied as issue #18 records the NHS's practice (a "
            "bullet or heading is read as a unit, so it is one). SMOG is the readability formula "
            "health-literacy guides recommend for health information because it predicts full "
            "understanding, not partial, and so it reads about two grades above Flesch-Kincaid on the same "
            "text. The default `max-grade` 10 is the house ceiling of ML701 (Flesch-Kincaid grade 8, which "
            "stays available) on SMOG's scale, about a reading age of 15; `max-grade = 9` is the top of the "
            "NHS's 11-to-14 band (a US grade is about the reading age less 5), and 6 is its first aim. Four "
            "in ten UK adults struggle with typical health information (NHS Digital, 2019).",
        example=_EXAMPLE,
        use_instead=_USE_INSTEAD,
        references=(
            "McLaughlin GH. SMOG grading: a new readability formula. Journal of Reading 1969;12(8):639-646",
            "NHS digital service manual, content guide, How we write (service-manual.nhs.uk/content/how-we-write): "
            "a reading age of 9 to 11, or 11 to 14 for some medical information",
            "NHS Digital, Creating better content for users with low health literacy (blog, 13 February 2019)",
            "Health Education England, Public Health England and NHS England, Health literacy 'how to' guide "
            "(2017), and the NHS Health Literacy Toolkit (2nd edition, 2023): readability tools",
            "issue #18: SMOG computed with headings and list items as sentences",
        ),
    ),
)
