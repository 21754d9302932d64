"""ML308 mixed-units: Dose entries for the same population, route and band use related but different units (mg/kg
and mg/kg/day)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ... import units
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import ISMP, POLICY, EntryUnit, entry_label, entry_units


def _band(value: Any) -> tuple[tuple[str, str], ...] | None:
    return tuple(sorted((str(k), str(v)) for k, v in value.items())) if isinstance(value, dict) else None


def _other_scale(a: units.Unit, b: units.Unit) -> bool:
    """The same kind of amount in another scale: mg and mcg, mg/kg and g, units and million units."""
    return units.same_amount_kind(a, b) and a.amount != b.amount


def _check_mixed_units(record: Record, context: RuleContext) -> Iterator[Hit]:
    first: dict[tuple[Any, ...], EntryUnit] = {}
    for current in entry_units(record):
        # entries for different age or weight bands may differ on purpose (mg/kg under 40 kg, mg above)
        entry = current.entry
        key = (current.population, current.route, _band(entry.get("age_range")), _band(entry.get("weight_range")))
        seen = first.setdefault(key, current)
        if seen.unit != current.unit and not _other_scale(seen.unit, current.unit):  # a scale is ML314's
            yield Hit(("dosing", current.entry_index, "dose", "unit"),
                      f"this {current.population} {current.route} dose is in `{current.unit}` but "
                      f"{entry_label(record, seen.entry_index)} gives the same population and route in `{seen.unit}`: "
                      "readers compare doses by their numbers",
                      hint="write both doses in one unit, or give the entries different age or weight bands",
                      subject=f"{seen.unit} vs {current.unit}")


MIXED_UNITS = Rule(
    code="ML308", name="mixed-units", family="units", severity=Severity.WARNING,
    summary="Dose entries for the same population, route and band use related but different units "
            "(mg/kg and mg/kg/day).",
    check=_check_mixed_units,
    docs=Docs(
        what="Reports a dose entry whose unit differs from an earlier entry with the same population, route, "
             "age range and weight range (`mg/kg` and `mg/kg/day`, `mg` and `mg/kg`). Entries for "
             "different age or weight bands are not compared: a label commonly gives mg/kg below 40 kg and a "
             "fixed mg dose from 40 kg, and the bands say so. The same amount in another scale (`mg` and "
             "`mcg`, `mg` and `g`) is the error ML314, not this warning.",
        why="A reader scanning the doses compares the numbers: a per-kg dose next to a per-day one invites "
            "giving the wrong one.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n"
                "      value: 15\n      unit: mg/kg\n    route: oral\n    frequency: every 8 hours\n"
                "  - label: Pediatric dose (severe infection)\n    population: pediatric\n    dose:\n"
                "      value: 90\n      unit: mg/kg/day\n    route: oral\n    frequency: every 12 hours\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n"
                    "      value: 45\n      unit: mg/kg/day\n    route: oral\n    frequency: every 8 hours\n"
                    "  - label: Pediatric dose (severe infection)\n    population: pediatric\n    dose:\n"
                    "      value: 90\n      unit: mg/kg/day\n    route: oral\n    frequency: every 12 hours\n",
        references=(ISMP, POLICY),
    ),
)
