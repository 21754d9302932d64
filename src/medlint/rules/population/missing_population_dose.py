"""ML403 missing-population-dose: An indication for all ages lacks an adult or a pediatric dose entry."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...lazyre import Lazy
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from ..fields import prose
from .common import ALL_EXAMPLE, FDA_POPULATIONS, FORMAT, LABEL, OTHER, POLICY, WHO, dose_example, indication_of

_NOT_ESTABLISHED = Lazy(
    r"\b(?:pa?ediatric|child(?:ren)?|infants?|adolescents?)\b[^.]{0,80}?\bnot\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:established|studied|shown|known|approved)"
    r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:established|studied|approved)\s+(?:for\s+use\s+)?(?:in|for)\s+"
    r"(?:pa?ediatric|child(?:ren)?|infants?|adolescents?)\b", re.IGNORECASE)


def _check_coverage(record: Record, context: RuleContext) -> Iterator[Hit]:
    if indication_of(record).get("population") != "all":
        return
    present = {entry.get("population") for _, entry in record.dose_entries()}
    if not present:
        return  # no dose entries at all: the schema reports it
    for population in ("adult", "pediatric"):
        if population in present:
            continue
        if population == "pediatric" and any(_NOT_ESTABLISHED.search(text) for _, text in prose(record)):
            continue
        yield Hit(("indication", "population"),
                  f"`population: all` but there is no dose entry for {WHO[population]}",
                  f"add {'an' if population == 'adult' else 'a'} {LABEL[population].lower()} entry, "
                  f"set `population: {OTHER[population]}`"
                  + (", or say that use in children is not established" if population == "pediatric" else ""),
                  subject=f"no {population} dose")


MISSING_POPULATION_DOSE = Rule(
    code="ML403", name="missing-population-dose", family="population", severity=Severity.ERROR,
    summary="An indication for all ages lacks an adult or a pediatric dose entry.",
    check=_check_coverage,
    docs=Docs(
        what="On `indication.population: all`, reports a missing adult dose entry and a missing pediatric "
             "dose entry. A missing pediatric entry is fine when the text says pediatric use is not "
             "established (`Safety and effectiveness in pediatric patients have not been established.`).",
        why="A page for adults and children that gives only one dose leaves the other group to guess, and "
            "readers do guess: usually by scaling the adult dose.",
        example=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "12", "mg"),
        use_instead=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "12", "mg")
                    + dose_example("Pediatric dose", "pediatric", "12", "mg"),
        references=(POLICY + " (`population: all` has adult and pediatric entries)", FDA_POPULATIONS, FORMAT),
    ),
)
