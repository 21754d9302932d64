"""ML314 mixed-unit-scales: Dose entries for the same population and route give one kind of amount in two scales (mg
and mcg)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ... import units
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import ISMP, POLICY, EntryUnit, entry_label, entry_units, is_number


def _check_mixed_scales(record: Record, context: RuleContext) -> Iterator[Hit]:
    first: dict[tuple[Any, ...], EntryUnit] = {}
    for current in entry_units(record):
        key = (current.population, current.route, current.unit.kind, current.unit.amount.counted)
        seen = first.setdefault(key, current)
        if seen.unit.amount == current.unit.amount:
            continue
        big, small = sorted((seen.unit.amount, current.unit.amount), key=lambda amount: amount.exponent)[::-1]
        ratio = f"{10 ** (big.exponent - small.exponent):,}"
        target = units.Unit(seen.unit.amount, current.unit.per_body, current.unit.per_time)
        factor = units.factor(current.unit, target)
        value = current.entry["dose"].get("value")
        same_scale = f"write every {current.population} {current.route} dose in {seen.unit.amount.name}"
        if factor is not None and is_number(value):
            same_scale = f"write `value: {units.number(value * factor)}` and `unit: {target}`"
        yield Hit(("dosing", current.entry_index, "dose", "unit"),
                  f"this {current.population} {current.route} dose is in `{current.unit}` but "
                  f"{entry_label(record, seen.entry_index)} gives the same population and route in `{seen.unit}`: one "
                  f"{big.name} is {ratio} {small.name}, so a reader who misses the change of unit is off by a "
                  f"factor of {ratio}",
                  hint=same_scale, subject=f"{seen.unit} vs {current.unit}")


MIXED_UNIT_SCALES = Rule(
    code="ML314", name="mixed-unit-scales", family="units", severity=Severity.ERROR,
    summary="Dose entries for the same population and route give one kind of amount in two scales "
            "(mg and mcg).",
    check=_check_mixed_scales,
    docs=Docs(
        what="Reports a dose entry whose unit measures the same kind of amount as an earlier entry for the "
             "same population and route, in another scale: `mg` and `mcg`, `mg` and `g`, `mg/kg` and "
             "`mcg`, `units` and `million units`. Age and weight bands do not excuse it: any dose can be "
             "written in one scale. Different kinds of unit (`mg/kg` below 40 kg, `mg` from 40 kg) are "
             "not this rule's (see ML308). The hint gives the dose in the first entry's scale.",
        why="`0.5 mg` beside `500 mcg`, or `1 g` beside `500 mg`, is the mg/mcg confusion ISMP warns about: "
            "a reader who misses the change of unit gives a thousand times the dose, or a thousandth. "
            "One scale per population and route removes the chance.",
        example="dosing:\n  - label: Adult dose (prevention)\n    population: adult\n    dose:\n"
                "      value: 400\n      unit: mcg\n    route: oral\n    frequency: once daily\n"
                "  - label: Adult dose (treatment)\n    population: adult\n    dose:\n      value: 1\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n",
        use_instead="dosing:\n  - label: Adult dose (prevention)\n    population: adult\n    dose:\n"
                    "      value: 0.4\n      unit: mg\n    route: oral\n    frequency: once daily\n"
                    "  - label: Adult dose (treatment)\n    population: adult\n    dose:\n      value: 1\n"
                    "      unit: mg\n    route: oral\n    frequency: once daily\n",
        references=(ISMP, POLICY),
    ),
)
