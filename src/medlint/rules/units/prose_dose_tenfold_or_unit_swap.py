"""ML313 prose-dose-tenfold-or-unit-swap: A dose in the text is the dosing's amount times a power of ten, or the
same number in another unit."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import ISMP, POLICY
from .prose_doses import prose_dose_hits


def _check_prose_dose_slip(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from prose_dose_hits(record, True,
                               "check both against the label, then correct the text or the dose entry")


PROSE_DOSE_TENFOLD_OR_UNIT_SWAP = Rule(
    code="ML313", name="prose-dose-tenfold-or-unit-swap", family="units", severity=Severity.ERROR,
    summary="A dose in the text is the dosing's amount times a power of ten, or the same number in another unit.",
    check=_check_prose_dose_slip,
    docs=Docs(
        what="Reads each amount in the text as ML311 does (`medlint explain ML311` lists how amounts are read) "
             "and reports a dose, per-weight dose or maximum that agrees with none of the dosing's amounts "
             "and equals a dosing amount times 10, 100 or 1,000 (either way: `5 mg` where the dosing says "
             "0.5 mg), or the same number in another unit of the same kind (`5 mcg` for 5 mg, `2 L` for 2 mL, "
             "`0.2 units` for 0.2 units/kg). For a worked example with a stated weight, the dosing amount is the "
             "per-kg dose for that weight, and a slip is the amount ten times more or less than that, as rounded "
             "(`1,400 mg` or `14 mg` for a child who weighs 20 kg where the dose is 7 mg/kg). A titration step is "
             "reported only when it is above every dose. Other disagreements are ML311's warnings.",
        why="Tenfold errors are the most harmful dosing errors: a slipped decimal point or a unit swap between "
            "the text and the dose table gives a reader two doses, one of them ten or a thousand times the "
            "other. ISMP lists both among the errors behind real overdoses.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 0.5\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n"
                "    notes: Take 5 mg once a day.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 0.5\n"
                    "      unit: mg\n    route: oral\n    frequency: once daily\n"
                    "    notes: Take 0.5 mg once a day.\n",
        references=(ISMP, POLICY),
    ),
)
