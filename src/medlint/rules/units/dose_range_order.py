"""ML309 dose-range-order: A dose range whose low end is not below its high end."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, POLICY, is_number


def _check_range_order(record: Record, context: RuleContext) -> Iterator[Hit]:
    for index, entry in record.dose_entries():
        dose = entry.get("dose")
        if not isinstance(dose, dict) or not (is_number(dose.get("low")) and is_number(dose.get("high"))):
            continue
        low, high = dose["low"], dose["high"]
        if low == high:
            yield Hit(("dosing", index, "dose", "low"), f"the range runs from {low} to {high}: it is one dose",
                      hint=f"write `value: {high}` instead of `low` and `high`", subject="low=high")
        elif low > high:
            yield Hit(("dosing", index, "dose", "low"), f"the range runs from {low} down to {high}: `low` must "
                                                        "be less than `high`",
                      hint=f"swap them: `low: {high}`, `high: {low}`", subject="low>high")


DOSE_RANGE_ORDER = Rule(
    code="ML309", name="dose-range-order", family="units", severity=Severity.ERROR,
    summary="A dose range whose low end is not below its high end.",
    check=_check_range_order,
    docs=Docs(
        what="Reports a dose range with `low` greater than `high` (swapped ends) or equal to it (a single "
             "dose written as a range).",
        why="The page renders the range as written: `875 to 500 mg` makes the reader guess which end is "
            "meant, and the prose and cap checks compare against the wrong end.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      low: 875\n"
                "      high: 500\n      unit: mg\n    route: oral\n    frequency: every 12 hours\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      low: 500\n"
                    "      high: 875\n      unit: mg\n    route: oral\n    frequency: every 12 hours\n",
        references=(FORMAT, POLICY),
    ),
)
