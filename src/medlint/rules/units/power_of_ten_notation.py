"""ML312 power-of-ten-notation: A power of ten written with x, *, E notation or a mis-encoded multiplication
sign."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ... import excerpt
from ...model import Hit, Severity
from ...prose_numbers import RIGHT_OPERATORS, Number
from ...record import Record
from .. import fields
from ..base import Docs, Rule, RuleContext
from .common import ISMP, SI, UCUM, prose_view

_MISDECODED = ("ร", "Ã")


def _power_of_ten_problem(number: Number) -> str | None:
    """Why a number's power of ten is badly written, or None."""
    operator = number.match["op"]
    if operator is not None:
        written = operator.strip()
        if written in RIGHT_OPERATORS:
            return None
        if written.startswith(_MISDECODED):
            return (f"`{written}` is not a multiplication sign (it is how `×` looks when the text went through "
                    "the wrong character encoding)")
        return f"`{written}` is not the multiplication sign and readers may not see a power of ten"
    # `2E14` alone may be a name; E notation is a number when it has a decimal point or a unit
    if number.match["e"] and ("." in number.num or number.unit is not None):
        return "E notation is for software, and readers miss the exponent"
    return None


def _check_power_of_ten(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose = prose_view(record)
    for number in prose.numbers:
        problem = _power_of_ten_problem(number) if number.exponent is not None else None
        if problem is None:
            continue
        pointer, text = prose.segments[number.segment]
        group = "op" if number.match["op"] is not None else "e"
        end = number.match.end("power" if group == "op" else "e") - number.offset
        right = excerpt.quote(f"{number.num} × 10^{number.exponent}")
        start = number.match.start(group) - number.offset
        new = " × " if group == "op" else f" × 10^{number.exponent}"
        yield Hit(pointer, f"write the power of ten as `{right}`: {problem}", hint=f"write `{right}`",
                  start=number.num_start, end=end, subject=excerpt.quote(text[number.num_start:end]),
                  fix=partial(fields.replace_fix, record, pointer, start, start + len(number.match[group]), new,
                                        f"write {right}"))


POWER_OF_TEN_NOTATION = Rule(
    code="ML312", name="power-of-ten-notation", family="units", severity=Severity.ERROR,
    summary="A power of ten written with x, *, E notation or a mis-encoded multiplication sign.",
    check=_check_power_of_ten,
    fixable=True,
    docs=Docs(
        what="Reports powers of ten in the prose written `1.1 x 10^14`, `1.1 X 10^14`, `1.1*10^14`, with a "
             "mis-encoded `×` (`1.1 ร 10^14` from a Thai code page, `1.1 Ã— 10^14` from Windows-1252), or "
             "in E notation (`1.1E14`); the fix writes `1.1 × 10^14`. `1.1 × 10^14` and superscript exponents "
             "stay quiet. The number in a YAML dose value (`value: 1.1e14`) is not prose and is fine. "
             "Mis-encoded text in general is the text-integrity family's concern; this rule is about how the "
             "number reads.",
        why="A dose of 1.1 × 10^14 vector genomes/kg is where a slip is a 10-fold or 10^14-fold error. The "
            "seed page printed `1.1 ร 10^14`: a reader cannot be sure it is a multiplication at all.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                "    notes: The dose is 1.1 x 10^14 vector genomes/kg.\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                    "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                    "    notes: The dose is 1.1 × 10^14 vector genomes/kg.\n",
        references=(SI, ISMP, UCUM),
    ),
)
