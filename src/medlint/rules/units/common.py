"""What the dose-unit rules share: their references, the record's prose view and its quantities, and the
numbers and units of the structured doses."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple, TypeGuard

from ... import numbers, units
from ...model import Pointer
from ...prose_numbers import Number, Prose, scan
from ...record import Record
from .. import fields

ISMP = "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations (2021)"
TJC = "The Joint Commission, Official \"Do Not Use\" List of abbreviations"
UCUM = "The Unified Code for Units of Measure (UCUM), Regenstrief Institute"
FORMAT = "docs/record-format.md: Dose units"
POLICY = "House policy: consistent dose units within a record"
SI = "BIPM, The International System of Units (SI Brochure, 9th edition), section 5.4"


def prose_view(record: Record) -> Prose:
    """The record's prose view, shared by the rules of this family (eight of them read it in turn)."""
    return record.derived("units.prose", lambda r: scan(fields.prose(r)))


def prose_quantities(record: Record) -> Iterator[tuple[Pointer, str, Number]]:
    """Every number followed by a dose unit (or kg) in the prose that a float holds: (pointer, text, number)."""
    prose = prose_view(record)
    for number in prose.numbers:
        if number.unit_text and number.value is not None:
            pointer, text = prose.segments[number.segment]
            yield pointer, text, number


def is_number(value: Any) -> TypeGuard[float]:
    return numbers.finite(value) is not None


_NUMBER_KEYS = (("dose", ("value", "low", "high")), ("max_dose", ("value",)))


class _DoseNumber(NamedTuple):
    pointer: Pointer
    value: float
    raw: str  # the source text, `1.0` or `.5`; "" when not a plain scalar
    unit: units.Unit | None


def dose_numbers(record: Record) -> tuple[_DoseNumber, ...]:
    """Every number of every dose and cap, with the unit it is in (read once: three rules ask)."""
    return record.derived("units.dose-numbers", lambda r: tuple(_dose_numbers(r)))


def _dose_numbers(record: Record) -> Iterator[_DoseNumber]:
    for index, entry in record.dose_entries():
        for block, keys in _NUMBER_KEYS:
            quantity = entry.get(block)
            if not isinstance(quantity, dict):
                continue
            unit = quantity.get("unit")
            parsed = units.parse(unit) if isinstance(unit, str) else None
            for key in keys:
                pointer: Pointer = ("dosing", index, block, key)
                value = quantity.get(key)
                if is_number(value):
                    info = record.nodes.get(pointer)
                    plain = info is not None and info.style is None
                    yield _DoseNumber(pointer, float(value), record.raw(pointer) if plain else "", parsed)


def unit_fields(record: Record) -> Iterator[tuple[Pointer, str]]:
    for index, entry in record.dose_entries():
        for block in ("dose", "max_dose"):
            quantity = entry.get(block)
            if isinstance(quantity, dict) and isinstance(quantity.get("unit"), str):
                yield ("dosing", index, block, "unit"), quantity["unit"]


def entry_label(record: Record, index: int) -> str:
    label = record.get(("dosing", index, "label"))
    return f"dosing[{index}] (“{label}”)" if isinstance(label, str) else f"dosing[{index}]"


UNIT_TOKEN = re.compile(r"[^/\s]+")


def house_spelling(unit: str) -> str:
    return UNIT_TOKEN.sub(lambda m: units.ERROR_PRONE.get(m.group(0), m.group(0)), unit)


class EntryUnit(NamedTuple):
    entry_index: int
    unit: units.Unit
    population: str
    route: str
    entry: dict[str, Any]


def entry_units(record: Record) -> Iterator[EntryUnit]:
    """Each dose entry with its dose unit, population and route, where all three are readable."""
    for index, entry in record.dose_entries():
        dose = entry.get("dose")
        unit = units.parse(dose["unit"]) if isinstance(dose, dict) and isinstance(dose.get("unit"), str) else None
        population, route = entry.get("population"), entry.get("route")
        if unit is not None and isinstance(population, str) and isinstance(route, str):
            yield EntryUnit(index, unit, population, route, entry)
