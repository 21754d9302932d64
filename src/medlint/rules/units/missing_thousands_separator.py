"""ML307 missing-thousands-separator: A large dose written without thousands separators (100000 units)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ... import numbers
from ...model import Hit, Severity
from ...record import Record
from .. import fields
from ..base import Docs, Rule, RuleContext, option
from .common import ISMP, SI, dose_numbers, prose_quantities


def _exponent_form(value: float) -> str:
    mantissa, exponent = f"{value:e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


@dataclass(frozen=True)
class ThousandsOptions:
    min_value: int = option(1000, "prose doses from this value up need thousands separators (ISMP: 1,000)")
    structured_min_value: int = option(100000, "dose and cap values written as a plain run of digits from this value "
                                               "up are reported (YAML numbers cannot hold commas)")


def _check_thousands(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: ThousandsOptions = context.options
    prose_min, field_min = options.min_value, options.structured_min_value
    for number in dose_numbers(record):
        if number.raw.isdigit() and number.value >= field_min:
            instead = f"`{_exponent_form(number.value)}`"
            if number.unit is not None and number.unit.amount.name == "units":
                instead += f", or `{number.value / 1e6:g}` with `unit: million units`"
            yield Hit(number.pointer, f"`{number.raw}` is hard to count at a glance: reviewers misread it as ten "
                                      "times more or less", hint=f"write {instead}", subject=number.raw)
    for pointer, _, quantity in prose_quantities(record):
        whole = quantity.num.partition(".")[0]
        if (quantity.unit is None or quantity.exponent is not None or not whole.isdigit()
                or not numbers.at_least(whole, prose_min)):
            continue
        new = numbers.grouped(whole) + quantity.num[len(whole):]
        yield Hit(pointer, f"`{quantity.num} {quantity.unit_text}` has no thousands separators: it is easily "
                           "misread as ten times more or less",
                  hint=f"write `{new} {quantity.unit_text}`", start=quantity.num_start, end=quantity.num_end,
                  subject=f"{quantity.num} {quantity.unit_text}",
                  fix=partial(fields.replace_fix, record, pointer, quantity.num_start, quantity.num_end, new,
                              f"write {new}"))


MISSING_THOUSANDS_SEPARATOR = Rule(
    code="ML307", name="missing-thousands-separator", family="units", severity=Severity.ERROR,
    summary="A large dose written without thousands separators (100000 units).",
    check=_check_thousands,
    options=ThousandsOptions,
    fixable=True,
    docs=Docs(
        what="Reports prose doses of 1,000 or more written without separators (`100000 units` -> "
             "`100,000 units`; the fix inserts the commas). In the structured dosing a YAML number cannot "
             "hold commas and the page renders the number itself, so only a long run of digits is reported "
             "(`value: 2400000`, from 100,000 by default): write it in exponent form (`2.4e6`) or in a larger "
             "unit (`2.4 million units`), which is what a reviewer reading the file can count.",
        why="`100000` and `1000000` look alike; a miscount is a tenfold error. ISMP asks for commas in doses "
            "of 1,000 and more, or words such as `2.4 million units`.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 5000\n"
                "      unit: units\n    route: subcutaneous\n    frequency: every 12 hours\n"
                "    notes: Inject 5000 units under the skin.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 5000\n"
                    "      unit: units\n    route: subcutaneous\n    frequency: every 12 hours\n"
                    "    notes: Inject 5,000 units under the skin.\n",
        references=(ISMP, SI),
    ),
)
