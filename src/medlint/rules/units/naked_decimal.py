"""ML305 naked-decimal: A dose below 1 written without a leading zero (.5 mg)."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, ISMP, TJC
from .number_style import DOSE_EXAMPLE, RAW_NUMBER, number_style_hits


def _naked_decimal(number: str) -> str | None:
    """`.5` -> `0.5`; None when the number has a leading digit."""
    match = RAW_NUMBER.fullmatch(number)
    if match is None or match["int"] or not match["frac"]:
        return None
    return f"{match['sign']}0{number[len(match['sign']):]}"


def _check_naked_decimal(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from number_style_hits(
        record, _naked_decimal,
        "`{old}{unit}` has no zero before the decimal point: if the point is missed it reads as ten times "
        "the dose or more", "write `{new}`")


NAKED_DECIMAL = Rule(
    code="ML305", name="naked-decimal", family="units", severity=Severity.ERROR,
    summary="A dose below 1 written without a leading zero (.5 mg).",
    check=_check_naked_decimal,
    fixable=True,
    docs=Docs(
        what="Reports dose and cap values written as `.5` (the source text is read: YAML parses it to 0.5) "
             "and prose doses such as `.5 mg` or `.5 unit`. The fix writes the leading zero.",
        why="`.5 mg` is read as `5 mg` when the decimal point is missed: a tenfold overdose. The Joint "
            "Commission forbids it in all medication-related documentation.",
        example=DOSE_EXAMPLE.format(value=".5"),
        use_instead=DOSE_EXAMPLE.format(value="0.5"),
        references=(TJC, ISMP, FORMAT),
    ),
)
