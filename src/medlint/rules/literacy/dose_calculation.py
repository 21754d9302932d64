"""ML714: patient-facing text that leaves the reader to calculate a dose (PEMAT understandability item 7)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...lazyre import Lazy
from ...model import Hit, Severity
from ...record import Record
from ...sentences import Occurrences, Sentences
from ..base import Docs, Rule, RuleContext
from ._page import page

# a dose per body measure in the notation of the dose table: `15 mg/kg`, `10-20 mg/kg/day`, `2 units/kg`,
# `375 mg/m2`; in words ("15 mg for each kilogram of body weight") it is an explanation, not a formula
# bounded repeats keep the search linear on runs of digits, separators or blanks
_NUMBER = r"\d[\d,.]{0,20}(?:\s?[×x]\s?10\^\d{1,4})?"
_PER_BODY = Lazy(rf"(?<![\w^]){_NUMBER}(?:\s{{0,2}}(?:-|to)\s{{0,2}}{_NUMBER})?\s{{0,2}}(?:[a-zA-Zµμ ]{{1,20}})?"
                       r"/\s?(?:kg|m2|m²)(?:/[a-z]+)?\b")
# the reader told to do the arithmetic: an instruction opening a sentence ("Multiply ...", "Please work out")
# or "you" as the one who calculates; "The doctor works out the amount" and "the nurse will weigh your child
# and work out the dose" are not asked of the reader
_ASKED = Lazy(r"(?:^|[.!?:;]\s{1,3}|\bplease\s{1,3}|\byou(?:'ll| will| can| need to| should"
                    r"| must| have to)?\s{1,3})(multiply|calculate|divide|work out|figure out)\b", re.I)
_WEIGHT = Lazy(r"\b(?:weight|weighs|kg|kilograms?|pounds?|lbs?)\b", re.I)
_BODY_MASS = Lazy(r"kg\s?/\s?m[2²]$")
_BREAK = Lazy(r"[.!?](?=\s)")
_VERB = Lazy(r"multiply|calculate|divide|work out|figure out", re.I)  # rules out most texts quickly


# the other sections of a clean record, restated because a fragment replaces all of `sections:`
_REST = """  why_used: >-
    SMA is a rare disease that a child is born with. Both copies of a gene called SMN1 are
    missing or do not work.
  mechanism: >-
    Zolgensma brings a working copy of the SMN1 gene into the nerve cells that move the muscles.
  what_to_expect:
    - A single infusion into a vein over about 60 minutes.
  alternatives: >-
    Two other medicines treat SMA, but they are given again and again.
  when_to_talk_to_doctor:
    - Yellow skin or eyes, dark urine, or vomiting.
"""


def _check(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, text in page(record):
        if pointer[0] == "indication":
            continue
        for match in _PER_BODY.finditer(text) if "/" in text else ():
            if _BODY_MASS.search(match.group()):  # a body mass index, not a dose
                continue
            yield Hit(pointer, f"`{match.group().strip()}` leaves the reader to work out a dose from a body "
                               "measure",
                      "give the amount itself (\"a child who weighs 10 kg takes 150 mg\"), or say that the doctor "
                      "works it out from the weight; the per-kg dose belongs in the dose table",
                      match.start(), match.end(), subject=match.group().strip())
        asked = list(_ASKED.finditer(text)) if _VERB.search(text) else []
        if not asked:
            continue
        sentences, weights = Sentences(text, _BREAK.compiled), Occurrences(text, _WEIGHT.compiled)
        for match in asked:
            verb, start, end = match.group(1), match.start(1), match.end(1)
            if weights.within(sentences.start(start), sentences.end(end)):
                yield Hit(pointer, f"the text asks the reader to {verb.lower()} a dose from a weight",
                          "give the amount itself for the reader's weight, or say that the doctor or pharmacist "
                          "works it out", start, end, subject=verb.lower())


DOSE_CALCULATION = Rule(
    code="ML714", name="dose-calculation-asked", family="health-literacy", severity=Severity.WARNING,
    summary="Patient-facing text leaves the reader to calculate a dose from a weight or body size.",
    check=_check, default_enabled=False,
    docs=Docs(
        what="Reports, in the summary and the sections (the page's running text), a dose per body measure "
             "written in the dose table's notation (`15 mg/kg`, `10 to 20 mg/kg/day`, `2 units/kg`, "
             "`375 mg/m2`), and a sentence that tells the reader to multiply, divide, calculate or work out a "
             "dose from a weight (`Multiply your child's weight in kg by 15`, `you can work out the dose "
             "from ...`). The dose table is not read: `docs/record-format.md` makes `dosing` the page's "
             "table of dose entries, whose `dose` field holds the per-kg amount and whose label and notes "
             "qualify that row for whoever gives the dose, while `sections` are \"the patient-facing sections "
             "of the page\". A per-kg dose in words that explains how the dose is found (\"It depends on your "
             "child's weight. The dose is 15 mg for each kilogram of body weight\", usually with the amount "
             "for a weight, \"a 10 kg child takes 150 mg\", and \"the doctor works out the amount\") is an "
             "explanation, not a sum the reader must do, and is not reported; nor is a calculation by "
             "someone else (`the doctor works out the dose`).",
        why="PEMAT's understandability item 7: the material does not expect the user to perform "
            "calculations. A reader who has to multiply a weight by a per-kg dose can slip by a factor of "
            "ten or mix kilograms and pounds, and the harm falls on a child; many adults cannot do that sum "
            "reliably (numeracy is lower than literacy in national surveys). The notation `mg/kg` is the "
            "prescriber's, not the reader's.",
        example=f"""sections:
{_REST}  faq:
    - question: How much does my child get?
      answer: >-
        Your child gets 1.1 × 10^14 vector genomes/kg. Multiply your child's weight in kg by this
        amount to know the dose.
""",
        use_instead=f"""sections:
{_REST}  faq:
    - question: How much does my child get?
      answer: >-
        The dose depends on your child's weight. The care team works out the amount and prepares
        the infusion.
""",
        references=(
            "Shoemaker SJ, Wolf MS, Brach C. The Patient Education Materials Assessment Tool (PEMAT) and "
            "user's guide. AHRQ Publication No. 14-0002-EF, 2013 (updated 2020): understandability item 7, "
            "\"The material does not expect the user to perform calculations\"",
            "docs/record-format.md: `sections` are the patient-facing sections; `dosing` is the page's dose table",
            "Institute for Safe Medication Practices: weight-based dosing errors in children (kilograms and "
            "pounds confused, tenfold errors)",
        ),
    ),
)
