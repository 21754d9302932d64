"""ML407 indication-population-contradiction: The indication's text names a population that its `population`
excludes."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...populations import NAMED, meant_matches
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FDA_POPULATIONS, FORMAT, OTHER, POLICY, WHO, indication_of, only_population, text_of


def _check_indication_text(record: Record, context: RuleContext) -> Iterator[Hit]:
    only = only_population(record)
    if only is None:
        return
    excluded = OTHER[only]
    indication = indication_of(record)
    for key in ("condition", "qualifier"):
        text = text_of(indication.get(key))
        match = next(meant_matches(text, NAMED[excluded], excluded), None)
        if match is not None:
            yield Hit(("indication", key),
                      f"the indication's {key} says `{match.group(0)}` but `population` is {only}",
                      f"write `population: all` if the indication covers {WHO[only]} and {WHO[excluded]}, "
                      f"`population: {excluded}` if only {WHO[excluded]}; otherwise correct the {key}",
                      match.start(), match.end(), subject=match.group(0))


INDICATION_POPULATION_CONTRADICTION = Rule(
    code="ML407", name="indication-population-contradiction", family="population", severity=Severity.ERROR,
    summary="The indication's text names a population that its `population` excludes.",
    check=_check_indication_text,
    docs=Docs(
        what="Reports an indication condition or qualifier that names children (`pediatric patients`, "
             "`children`, `infants`, `neonates`, `adolescents`...) while `population` is adult, or adults while "
             "it is pediatric. Negated mentions (`not for use in children`), `childhood`, `adulthood`, "
             "`adult-onset`, `child-bearing`, safe keeping and pregnancy context are not reported.",
        why="The indication is the page's title. When it says \"in pediatric patients\" and the record says "
            "adult, the page is filed, filtered and dose-checked for the wrong people.",
        example="indication:\n  condition: Spinal muscular atrophy (SMA)\n  qualifier: in infants and children\n"
                "  population: adult\n",
        use_instead="indication:\n  condition: Spinal muscular atrophy (SMA)\n  qualifier: in infants and children\n"
                    "  population: pediatric\n  age_range:\n    under: 2 years\n",
        references=(POLICY + " (indication text that contradicts `population`)", FDA_POPULATIONS, FORMAT),
    ),
)
