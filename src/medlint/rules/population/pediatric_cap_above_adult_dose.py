"""ML406 pediatric-cap-above-adult-dose: A pediatric maximum dose exceeds the adult dose in the same record."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ... import units
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import ALL_EXAMPLE, POLICY, dose_example, quantity, subject


class _Amount(NamedTuple):
    value: float
    unit: units.Unit
    entry: int  # the dose entry's index
    route: Any


def _adult_amounts(record: Record) -> list[_Amount]:
    """Every adult dose (its high end for a range) and adult cap in the record."""
    out = []
    for index, entry in record.dose_entries():
        if entry.get("population") == "adult":
            for found in (quantity(entry.get("dose"), "value", "high"), quantity(entry.get("max_dose"), "value")):
                if found is not None:
                    out.append(_Amount(*found, index, entry.get("route")))
    return out


def _ceilings(adults: list[_Amount]) -> dict[tuple[str, Any], _Amount]:
    """The largest adult amount for each route and dimension of unit (units of one dimension convert), so
    that each pediatric cap looks up one: scanning every adult entry for each cap was quadratic in the
    entries. A route that is not a string is the schema's finding (ML103)."""
    best: dict[tuple[str, Any], _Amount] = {}
    for adult in adults:
        if not isinstance(adult.route, str):
            continue
        key = (adult.route, adult.unit.dimension)
        current = best.get(key)
        if current is None or adult.value * (units.factor(adult.unit, current.unit) or 0.0) > current.value:
            best[key] = adult
    return best


def _ceiling(ceilings: dict[tuple[str, Any], _Amount], unit: units.Unit, route: Any) -> _Amount | None:
    """The largest adult amount by `route` that converts to `unit`, expressed in `unit`."""
    best = ceilings.get((route, unit.dimension)) if isinstance(route, str) else None
    factor = units.factor(best.unit, unit) if best is not None else None
    return best._replace(value=best.value * factor) if best is not None and factor is not None else None


def _check_cap_above_adult(record: Record, context: RuleContext) -> Iterator[Hit]:
    adults: dict[tuple[str, Any], _Amount] | None = None  # read only when a pediatric cap is there to compare
    for index, entry in record.dose_entries():
        cap = quantity(entry.get("max_dose"), "value") if entry.get("population") == "pediatric" else None
        if cap is None:
            continue
        adults = _ceilings(_adult_amounts(record)) if adults is None else adults
        value, unit = cap
        ceiling = _ceiling(adults, unit, entry.get("route"))
        if ceiling is not None and value > ceiling.value * (1 + 1e-9):  # tolerance: 875 mg against 0.875 g
            adult = record.get(("dosing", ceiling.entry))
            yield Hit(("dosing", index, "max_dose", "value"),
                      f"this pediatric cap ({record.raw(('dosing', index, 'max_dose', 'value'))} {unit}) is above "
                      f"the adult dose by the same route (`{subject(ceiling.entry, adult)}`, {ceiling.value:g} "
                      f"{unit}): a child's dose must not exceed an adult's",
                      "check the cap against the label; it is usually the adult dose",
                      subject=subject(index, entry))


PEDIATRIC_CAP_ABOVE_ADULT_DOSE = Rule(
    code="ML406", name="pediatric-cap-above-adult-dose", family="population", severity=Severity.ERROR,
    summary="A pediatric maximum dose exceeds the adult dose in the same record.",
    check=_check_cap_above_adult,
    docs=Docs(
        what="Reports a pediatric `max_dose` larger than every adult amount (dose, high end of a range, or "
             "adult `max_dose`) of the same route and the same kind of unit (mass, volume, units..., per kg or "
             "not, per day or per dose) in the record. mg, mcg and g are converted; a per-dose cap is not "
             "compared with a per-day adult dose.",
        why="A pediatric cap is there so that a child's dose never passes an adult's. A cap above the adult dose "
            "is almost always a typo (875 written as 8750) or a per-day cap entered as per dose.",
        example=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "400", "mg")
                + dose_example("Pediatric dose", "pediatric", "10", "mg/kg",
                               "    max_dose:\n      value: 800\n      unit: mg\n"),
        use_instead=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "400", "mg")
                    + dose_example("Pediatric dose", "pediatric", "10", "mg/kg",
                                   "    max_dose:\n      value: 400\n      unit: mg\n"),
        references=(POLICY + " (a pediatric cap does not exceed the adult dose)",
                    "UCUM (Unified Code for Units of Measure): mg, ug and g are commensurable"),
    ),
)
