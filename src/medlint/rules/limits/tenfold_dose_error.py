"""ML804 tenfold-dose-error: A dose ten or more times over a limit, or under a minimum, of its drug's dose-limit
table."""
from __future__ import annotations

from ...model import Severity
from ..base import Docs, Rule
from .common import FORMAT, HOW, ISMP, TABLE_EXAMPLE, TENFOLD, dosing_example
from .compare import family_check

TENFOLD_DOSE_ERROR = Rule(
    code="ML804", name="tenfold-dose-error", family="limits", severity=Severity.ERROR,
    summary="A dose ten or more times over a limit, or under a minimum, of its drug's dose-limit table.",
    check=family_check("tenfold"),
    docs=Docs(
        what=HOW + "Reports a dose, range end or cap at ten times a soft or hard limit or more, and a dose or "
             "range low end at a tenth of the minimum or less. The message names the likely slip: the power of "
             "ten that brings the dose back within the limits, or `mg` written for `mcg` (and `mcg` for `mg`, "
             "`g` for `mg`) when that is a factor of 1,000.",
        why="Tenfold errors are the most harmful dosing errors: a decimal point moved or a unit swapped gives "
            "ten or a thousand times the dose, and a record whose prose repeats the same wrong number agrees "
            "with itself, so no other check can see it. One children's hospital reported over 250 of them in "
            "five years.",
        example=dosing_example("32.5"),
        use_instead=dosing_example("325"),
        references=(FORMAT, TENFOLD, ISMP),
        example_limits=TABLE_EXAMPLE,
    ),
)
