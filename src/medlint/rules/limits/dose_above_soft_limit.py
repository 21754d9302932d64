"""ML802 dose-above-soft-limit: A dose, range end or cap above the usual maximum (soft limit) of its drug's dose-
limit table."""
from __future__ import annotations

from ...model import Severity
from ..base import Docs, Rule
from .common import FORMAT, HOW, ISMP, TABLE_EXAMPLE, dosing_example
from .compare import family_check

DOSE_ABOVE_SOFT_LIMIT = Rule(
    code="ML802", name="dose-above-soft-limit", family="limits", severity=Severity.WARNING,
    summary="A dose, range end or cap above the usual maximum (soft limit) of its drug's dose-limit table.",
    check=family_check("over-soft"),
    docs=Docs(
        what=HOW + "Warns about a dose, range end or cap above a `soft` limit but not above the `hard` one.",
        why="A soft limit marks the top of the usual range, as in a smart pump's drug library: a dose above it "
            "can be right, but it should be a decision the page explains, not a slip.",
        example=dosing_example("1000"),
        use_instead=dosing_example("500"),
        references=(FORMAT, ISMP),
        example_limits=TABLE_EXAMPLE,
    ),
)
