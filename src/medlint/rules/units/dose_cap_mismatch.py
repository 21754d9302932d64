"""ML310 dose-cap-mismatch: A dose cap that measures a different kind of amount than its dose, or is below it."""
from __future__ import annotations

from collections.abc import Iterator

from ... import units
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, UCUM, is_number


def _check_dose_cap(record: Record, context: RuleContext) -> Iterator[Hit]:
    for index, entry in record.dose_entries():
        dose, cap = entry.get("dose"), entry.get("max_dose")
        if not isinstance(dose, dict) or not isinstance(cap, dict):
            continue
        dose_unit = units.parse(dose["unit"]) if isinstance(dose.get("unit"), str) else None
        cap_unit = units.parse(cap["unit"]) if isinstance(cap.get("unit"), str) else None
        if dose_unit is None or cap_unit is None:
            continue
        if not units.same_amount_kind(dose_unit, cap_unit):
            yield Hit(("dosing", index, "max_dose", "unit"),
                      f"the dose is in `{dose_unit}` ({dose_unit.kind}) but its cap is in `{cap_unit}` "
                      f"({cap_unit.kind}): a cap must measure the same kind of amount as the dose",
                      hint=f"give the cap as {dose_unit.kind}, for example in `{dose_unit.amount.name}`",
                      subject=f"{dose_unit} vs {cap_unit}")
            continue
        top = dose.get("high", dose.get("value"))
        ratio = units.factor(dose_unit, cap_unit)
        if ratio is not None and is_number(top) and is_number(cap.get("value")) and top * ratio > cap["value"]:
            yield Hit(("dosing", index, "max_dose", "value"),
                      f"the cap ({units.number(cap['value'])} {cap_unit}) is below the dose it caps "
                      f"({units.number(top)} {dose_unit})",
                      hint="check both numbers against the label", subject="cap below dose")


DOSE_CAP_MISMATCH = Rule(
    code="ML310", name="dose-cap-mismatch", family="units", severity=Severity.ERROR,
    summary="A dose cap that measures a different kind of amount than its dose, or is below it.",
    check=_check_dose_cap,
    docs=Docs(
        what="Reports a `max_dose` whose unit measures a different kind of amount than the `dose` (mass, "
             "volume, amount of substance, equivalents, units, vector genomes, a count of tablets or "
             "capsules...): a mg/kg dose with a mg cap or a mg/kg/day cap is normal, a mg/kg dose with a mL "
             "cap is not. When the two units convert (mg and g), it also reports a cap below the dose.",
        why="A cap in another kind of amount cannot be compared with the dose it limits: a reader cannot "
            "tell whether 20 mL is more or less than 45 mg/kg/day without the strength of the liquid.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      low: 25\n"
                "      high: 45\n      unit: mg/kg/day\n    max_dose:\n      value: 20\n      unit: mL\n"
                "    route: oral\n    frequency: every 12 hours\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      low: 25\n"
                    "      high: 45\n      unit: mg/kg/day\n    max_dose:\n      value: 875\n      unit: mg\n"
                    "    route: oral\n    frequency: every 12 hours\n",
        references=(FORMAT, UCUM),
    ),
)
