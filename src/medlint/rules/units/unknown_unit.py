"""ML301 unknown-unit: A dose unit that is not in the house vocabulary."""
from __future__ import annotations

from collections.abc import Iterator

from ... import excerpt, units
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, UCUM, house_spelling, unit_fields

_HOUSE_LIST = ("mg, mcg, g, mL, units, million units, mmol, mEq, %, vector genomes, tablets, capsules, puffs "
               "or drops, optionally per kg or m2 and then per day, hour, minute, week or dose (mg/kg/day)")


def _check_unknown_unit(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, unit in unit_fields(record):
        # an error-prone spelling of a house unit is ML302's finding, not this one's
        if not unit.strip() or units.parse(house_spelling(unit)) is not None:
            continue
        suggestion = units.suggest(unit)
        yield Hit(pointer, f"`{excerpt.quote(unit)}` is not a dose unit in house style, so it cannot be mapped to "
                           "UCUM or compared with the other doses",
                  hint=f"write `{suggestion}`" if suggestion else f"use a house unit: {_HOUSE_LIST}",
                  subject=unit)


UNKNOWN_UNIT = Rule(
    code="ML301", name="unknown-unit", family="units", severity=Severity.ERROR,
    summary="A dose unit that is not in the house vocabulary.",
    check=_check_unknown_unit,
    docs=Docs(
        what="Reports a `dose` or `max_dose` unit that is not a house unit: one of " + _HOUSE_LIST + ". "
             "The hint names the house unit the author probably meant (`mcg/kg/d` -> `mcg/kg/day`). "
             "Error-prone spellings of house units (`µg`, `cc`, `IU`) are ML302's findings, not this rule's.",
        why="Every house unit maps to a UCUM code, which is what lets medlint compare a dose with its cap, "
            "with the other doses and with the prose. A unit outside the vocabulary defeats all of those "
            "checks, and an unfamiliar abbreviation on a page is one a reader must guess at.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 1.6\n"
                "      unit: mcg/kg/d\n    route: oral\n    frequency: once daily\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 1.6\n"
                    "      unit: mcg/kg/day\n    route: oral\n    frequency: once daily\n",
        references=(FORMAT, UCUM),
    ),
)
