"""ML402 label-population-mismatch: A dose entry's label names one population while its `population` says the
other."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...populations import NAMED
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import ALL_EXAMPLE, FORMAT, LABEL, OTHER, POLICY, WHO, dose_example, only_population, text_of


def _check_label(record: Record, context: RuleContext) -> Iterator[Hit]:
    if only_population(record) is not None:
        return  # on a single-population indication every such conflict is an ML401 finding
    for index, entry in record.dose_entries():
        population, label = entry.get("population"), text_of(entry.get("label"))
        if not isinstance(population, str) or population not in OTHER or NAMED[population].search(label):
            continue  # "Adults and children 40 kg and over" names its own population too
        named = NAMED[OTHER[population]].search(label)
        if named:
            yield Hit(("dosing", index, "label"),
                      f"the label says `{named.group(0)}` but this entry is for {WHO[population]} "
                      f"(`population: {population}`)",
                      f"make them agree: label it for {WHO[population]} (e.g. `{LABEL[population]}`), "
                      f"or write `population: {OTHER[population]}`", subject=label)


LABEL_POPULATION_MISMATCH = Rule(
    code="ML402", name="label-population-mismatch", family="population", severity=Severity.ERROR,
    summary="A dose entry's label names one population while its `population` says the other.",
    check=_check_label,
    docs=Docs(
        what="Reports a dose label that names adults (or grown-ups) while the entry's `population` is "
             "pediatric, or names children (pediatric, infants, newborns, kids, little ones, adolescents, "
             "teenagers...) while it is adult. A label that names both (`Adults "
             "and children 40 kg and over`) or neither (`Starting dose`) is fine. On a pediatric-only or "
             "adult-only indication such a label always names the population the indication excludes, and ML401 "
             "reports it instead.",
        why="The label is what readers see; `population` is what the page's filters, tables and checks use. "
            "When they disagree, a child's dose is shown under an adult heading or the other way round.",
        example=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "12", "mg")
                + dose_example("Adult dose (under 2 years)", "pediatric", "1.1e14"),
        use_instead=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "12", "mg")
                    + dose_example("Pediatric dose (under 2 years)", "pediatric", "1.1e14"),
        references=(POLICY + " (a dose entry's label agrees with its population)", FORMAT),
    ),
)
