"""ML315 number-out-of-range: A number in the text too large (or too small) for any software to hold: 1 × 10^400
mg."""
from __future__ import annotations

from collections.abc import Iterator

from ... import excerpt
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import SI, prose_view


def _check_out_of_range(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose = prose_view(record)
    for number in prose.numbers:
        if number.value is not None:
            continue
        if not (number.unit_text or number.match["op"] or (number.match["e"] and "." in number.num)):
            continue  # `2E400` alone may be a name (as for ML312)
        pointer, text = prose.segments[number.segment]
        written = excerpt.quote(text[number.num_start:number.end])
        tiny = (number.exponent or "").startswith("-")
        reason = ("so small that software reads it as 0 (below about 10^-308)" if tiny else
                  "larger than any number software can hold (about 1.8 × 10^308), so a page shows it as Infinity")
        yield Hit(pointer, f"`{written}` is {reason}: no dose is this, the number or its power of ten is wrong",
                  hint="write the dose as the label gives it", start=number.num_start, end=number.end,
                  subject=written)


NUMBER_OUT_OF_RANGE = Rule(
    code="ML315", name="number-out-of-range", family="units", severity=Severity.ERROR,
    summary="A number in the text too large (or too small) for any software to hold: 1 × 10^400 mg.",
    check=_check_out_of_range,
    docs=Docs(
        what="Reports a number in the prose, with its power of ten, that lies beyond what a 64-bit float (the "
             "number type of JSON, JavaScript and Python) holds: above about 1.8 × 10^308 (`1 × 10^400 mg`, "
             "`2e308 mg`, a dose of 400 digits), or not zero but below about 10^-308, where it reads as 0. "
             "The other unit rules skip such a number instead of comparing it. The same numbers as YAML "
             "values (`value: 1e400`) are the loader's finding, ML005.",
        why="No dose is that large: the number is a typo, usually in its power of ten (`10^400` for "
            "`10^14`), and a page that renders it shows `Infinity` or `0` where the dose should be.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                "    notes: The dose is 1.1 × 10^400 vector genomes/kg.\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                    "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                    "    notes: The dose is 1.1 × 10^14 vector genomes/kg.\n",
        references=("IEEE 754-2019, binary64: the largest finite number is about 1.8 × 10^308",
                    "RFC 8259 (JSON), section 6: numbers beyond IEEE 754 binary64 are not interoperable", SI),
    ),
)
