"""ML304 trailing-zero: A dose written with a trailing zero after the decimal point (1.0 mg)."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, ISMP, TJC
from .number_style import DOSE_EXAMPLE, RAW_NUMBER, number_style_hits


def _trailing_zero(number: str) -> str | None:
    """`1.0` -> `1`, `1.50` -> `1.5`, `2.0e14` -> `2e14`; None when there is no trailing zero."""
    match = RAW_NUMBER.fullmatch(number)
    if match is None or match["frac"] is None or (match["frac"] and not match["frac"].endswith("0")):
        return None
    frac = match["frac"].rstrip("0")
    return f"{match['sign']}{match['int']}{'.' + frac if frac else ''}{match['exp'] or ''}"


def _check_trailing_zero(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from number_style_hits(
        record, _trailing_zero,
        "`{old}{unit}` has a trailing zero: if the decimal point is missed it reads as ten times the dose",
        "write `{new}`")


TRAILING_ZERO = Rule(
    code="ML304", name="trailing-zero", family="units", severity=Severity.ERROR,
    summary="A dose written with a trailing zero after the decimal point (1.0 mg).",
    check=_check_trailing_zero,
    fixable=True,
    docs=Docs(
        what="Reports dose and cap values written with trailing zeros (`value: 1.0`, `1.50`, `2.0e14`: the "
             "source text is read, not the parsed number) and prose doses such as `1.0 mg` or `1.0 unit` "
             "(a singular unit or count is read like the plural). Only numbers followed by a dose unit are "
             "read in prose, so a lab value or a version number stays quiet. "
             "The fix drops the zeros.",
        why="`1.0 mg` is read as `10 mg` when the decimal point is faint or missed: a tenfold overdose. The "
            "Joint Commission forbids it in all medication-related documentation.",
        example=DOSE_EXAMPLE.format(value="1.0"),
        use_instead=DOSE_EXAMPLE.format(value="1"),
        references=(TJC, ISMP, FORMAT),
    ),
)
