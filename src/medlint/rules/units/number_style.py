"""What trailing-zero (ML304) and naked-decimal (ML305) share: numbers written in a dose's fields and in
the prose doses, rewritten in house style."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial

from ...model import Hit, Pointer
from ...record import Record
from .. import fields
from .common import dose_numbers, prose_quantities, prose_view

RAW_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<int>\d*)(?:\.(?P<frac>\d*))?(?P<exp>[eE][-+]?\d+)?")

# "0.5 unit", "1.0 tablet": a singular count is a dose too, though the house units are plural
_SINGULAR_DOSE = re.compile(r"(?<![\w.,])(?P<num>[0-9]*\.[0-9]+)[ \u00a0]?(?P<unit>(?:unit|tablet|capsule|puff|drop)"
                            r"(?:/(?:kg|m2))?(?:/(?:day|hour|minute|week|dose))?)(?![\w/])")


def _prose_doses(record: Record) -> Iterator[tuple[Pointer, str, str, int, int]]:
    """Every dose in the prose: (pointer, number, unit, where the number starts and ends)."""
    for pointer, _, quantity in prose_quantities(record):
        if quantity.unit is not None:
            yield pointer, quantity.num, quantity.unit_text, quantity.num_start, quantity.num_end
    for pointer, text in prose_view(record).segments:
        if "." in text:
            for match in _SINGULAR_DOSE.finditer(text):
                yield pointer, match["num"], match["unit"], match.start("num"), match.end("num")


def number_style_hits(record: Record, rewrite: Callable[[str], str | None], message: str,
                      hint: str) -> Iterator[Hit]:
    """Hits for dose numbers that `rewrite` tidies, in the structured dosing and in the prose."""
    for number in dose_numbers(record):
        new = rewrite(number.raw) if number.raw else None
        if new is not None:
            key = number.pointer[-1]
            yield Hit(number.pointer, message.format(old=f"{key}: {number.raw}", new=new, unit=""),
                      hint=hint.format(old=number.raw, new=f"{key}: {new}"), subject=number.raw,
                      fix=fields.raw_fix(record, number.pointer, new, f"write {new}"))
    for pointer, old, unit, start, end in record.derived("units.number-style-doses", lambda r: tuple(_prose_doses(r))):
        new = rewrite(old)
        if new is not None:
            yield Hit(pointer, message.format(old=old, new=new, unit=" " + unit),
                      hint=hint.format(old=old, new=new), start=start, end=end, subject=f"{old} {unit}",
                      fix=partial(fields.replace_fix, record, pointer, start, end, new, f"write {new}"))


DOSE_EXAMPLE = ("dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: {value}\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n")
