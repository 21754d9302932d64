"""ML401 dose-population-mismatch: A dose for adults on a pediatric-only indication, or a dose for children on an
adult-only one."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...excerpt import quote
from ...model import Hit, Severity
from ...populations import DOSING, NAMED, meant_matches, mentions
from ...record import Record
from ..base import Docs, Rule, RuleContext
from ..fields import prose
from .common import FDA_POPULATIONS, FORMAT, LABEL, OTHER, POLICY, WHO, dose_example, only_population, subject, text_of


def _entry_mismatch(index: int, entry: dict[str, Any], only: str) -> Iterator[Hit]:
    """A label that names the excluded population (the seed's "Common adult dosing range") and an entry for the
    excluded population are two defects, each reported where it is written."""
    excluded = OTHER[only]
    label = text_of(entry.get("label"))
    scope = f"the indication is for {WHO[only]} only (`indication.population: {only}`)"
    if NAMED[excluded].search(label):
        yield Hit(("dosing", index, "label"), f"the dose label `{quote(label)}` names {WHO[excluded]} but {scope}: "
                                               f"readers will take it as a dose for {WHO[excluded]}",
                  f"label it for the {WHO[only]} it is for, e.g. `{LABEL[only]}`", subject=label)
    if entry.get("population") == excluded:
        yield Hit(("dosing", index, "population"),
                  f"this entry is a dose for {WHO[excluded]} (`population: {excluded}`) but {scope}",
                  f"write `population: {only}` if it is for {WHO[only]}; otherwise remove the entry, or set "
                  "`indication.population: all`", on_key=True, subject=f"{subject(index, entry)} population")


def _check_dose_population(record: Record, context: RuleContext) -> Iterator[Hit]:
    only = only_population(record)
    if only is None:
        return
    excluded = OTHER[only]
    for index, entry in record.dose_entries():
        yield from _entry_mismatch(index, entry, only)
    texts = [(pointer, text) for pointer, text in prose(record, labels=False)
             if pointer[0] != "indication"]  # ML407 reads the indication's own text
    if not mentions("\n".join(text for _, text in texts), excluded):
        return
    for pointer, text in texts:
        for match in meant_matches(text, DOSING[excluded], excluded):
            yield Hit(pointer, f"`{match.group(0)}` speaks of dosing for {WHO[excluded]}, but the indication is for "
                               f"{WHO[only]} only: the page must not give or point to a dose for {WHO[excluded]}",
                      f"remove it, or state the dose for {WHO[only]}", match.start(), match.end(),
                      subject=match.group(0))


DOSE_POPULATION_MISMATCH = Rule(
    code="ML401", name="dose-population-mismatch", family="population", severity=Severity.ERROR,
    summary="A dose for adults on a pediatric-only indication, or a dose for children on an adult-only one.",
    check=_check_dose_population,
    docs=Docs(
        what="On an indication for one population only (`indication.population: pediatric` or `adult`), reports "
             "a dose entry for the other population (at its `population`), a dose label that names the other "
             "population (`Common adult dosing range` on a pediatric-only indication; an adult entry with such "
             "a label is two findings, one per line to fix), and prose that speaks of dosing for it "
             "(`adult dose`, `dose for children`, `Adults: 500 mg`, `Children take 5 mL`). Everyday words "
             "name a population too: `grown-ups`, `grownups`, `kids`, `little ones`, `newborns`, "
             "`teenagers`. Negated mentions "
             "(`not for use in children`), comparisons (`less than the adult dose`) and safe keeping (`out of "
             "the reach of children`) are not reported; neither is `adulthood` or `adult-onset`.",
        why="The seed page showed a \"Common adult dosing range\" for a gene therapy approved only for children "
            "under 2 years. A reader, or a clinician skimming, takes such a line as permission to dose an "
            "adult, or looks for a child's dose in the wrong row.",
        example="dosing:\n" + dose_example("Common adult dosing range", "adult"),
        use_instead="dosing:\n" + dose_example("Pediatric dose", "pediatric"),
        references=(POLICY + " (no adult dose on a pediatric-only indication, and the mirror)", FDA_POPULATIONS,
                    FORMAT),
    ),
)
