"""What the population rules share: their references, how messages name a population, and what they read
of a record (the indication, the one population it covers, dose amounts)."""
from __future__ import annotations

from typing import Any

from ... import numbers, units
from ...excerpt import quote
from ...record import Record

OTHER = {"pediatric": "adult", "adult": "pediatric"}
WHO = {"pediatric": "children", "adult": "adults"}  # how a message names a population
LABEL = {"pediatric": "Pediatric dose", "adult": "Adult dose"}
FDA_POPULATIONS = ("21 CFR 201.57(c)(2), (c)(3) and (c)(9)(iv): indications and usage, dosage and administration, "
                   "and pediatric use, each stated for the population it applies to")
POLICY = "House policy on pediatric versus adult dose labelling"
FORMAT = "docs/record-format.md: `indication.population`, `dosing[].population`, `dosing[].label`"


def indication_of(record: Record) -> dict[str, Any]:
    indication = record.data.get("indication")
    return indication if isinstance(indication, dict) else {}


def only_population(record: Record) -> str | None:
    """The population of a single-population indication (`pediatric` or `adult`), else None."""
    population = indication_of(record).get("population")
    return population if isinstance(population, str) and population in OTHER else None  # a list is unhashable


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


def subject(index: int, entry: dict[str, Any]) -> str:
    return quote(text_of(entry.get("label"))) or f"dosing[{index}]"


def dose_example(label: str, population: str, value: str = "1.1e14", unit: str = "vector genomes/kg",
                 extra: str = "") -> str:
    """One dose entry for docs examples."""
    return (f"  - label: {label}\n    population: {population}\n    dose:\n      value: {value}\n"
            f"      unit: {unit}\n{extra}    route: intravenous\n    frequency: once\n")


ALL_EXAMPLE = "indication:\n  condition: Spinal muscular atrophy (SMA)\n  population: all\n"


def quantity(block: Any, *keys: str) -> tuple[float, units.Unit] | None:
    """The largest of `keys` in a dose or max_dose block, with its house unit (None when not house style:
    the units rules report that)."""
    if not isinstance(block, dict) or not isinstance(block.get("unit"), str):
        return None
    unit = units.parse(block["unit"])
    # a number beyond float range is the loader's finding (ML005); compared here, it would overflow
    values = [v for v in (numbers.finite(block.get(key)) for key in keys) if v is not None]
    return (max(values), unit) if unit is not None and values else None
