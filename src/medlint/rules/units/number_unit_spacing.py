"""ML306 number-unit-spacing: A number run into its unit (10mg) in the prose."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ... import excerpt
from ...model import Hit, Severity
from ...record import Record
from .. import fields
from ..base import Docs, Rule, RuleContext
from .common import ISMP, SI, prose_quantities


def _check_number_unit_spacing(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, text, quantity in prose_quantities(record):
        # a percentage is written against its number (`1% cream`) in every style guide
        if quantity.spaced or quantity.unit_text == "%" or quantity.exponent is not None:
            continue
        first = text[quantity.unit_start]
        written = excerpt.quote(text[quantity.num_start:quantity.end])
        fix = partial(fields.replace_fix, record, pointer, quantity.unit_start, quantity.unit_start + 1, " " + first,
                                "put a space between the number and the unit")
        yield Hit(pointer, f"`{written}` runs the number into its unit: the unit's first letter can be read "
                           "as a digit", hint=f"write `{quantity.num} {quantity.unit_text}`",
                  start=quantity.num_start, end=quantity.end, subject=written, fix=fix)


NUMBER_UNIT_SPACING = Rule(
    code="ML306", name="number-unit-spacing", family="units", severity=Severity.ERROR,
    summary="A number run into its unit (10mg) in the prose.",
    check=_check_number_unit_spacing,
    fixable=True,
    docs=Docs(
        what="Reports a number written against a dose unit or kg in the prose (`10mg`, `5mL`, `40kg`). Names "
             "that contain digits (`SMN1`, `AAV9`, `CYP3A4`, `COVID-19`) and percentages (`1%`) stay quiet. "
             "The fix inserts a space.",
        why="ISMP lists `10mg` as error-prone: the m is misread as one or two zeros (`100 mg`). The SI "
            "writes a space between a number and its unit.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 10\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n    notes: Take 10mg once a day.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 10\n"
                    "      unit: mg\n    route: oral\n    frequency: once daily\n"
                    "    notes: Take 10 mg once a day.\n",
        references=(ISMP, SI),
    ),
)
