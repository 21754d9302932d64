"""ML803 dose-below-minimum: A dose or the low end of a range below the minimum of its drug's dose-limit table."""
from __future__ import annotations

from ...model import Severity
from ..base import Docs, Rule
from .common import FORMAT, HOW, ISMP, TABLE_EXAMPLE, dosing_example
from .compare import family_check

DOSE_BELOW_MINIMUM = Rule(
    code="ML803", name="dose-below-minimum", family="limits", severity=Severity.ERROR,
    summary="A dose or the low end of a range below the minimum of its drug's dose-limit table.",
    check=family_check("under-minimum"),
    docs=Docs(
        what=HOW + "Reports a single dose or the low end of a range below a `minimum`. A tenth of the "
             "minimum or less is ML804 instead.",
        why="The minimum is the lowest dose the label gives. Less does not treat the condition, and a dose "
            "that is too low is as often a misplaced decimal point as a choice.",
        example=dosing_example("160"),
        use_instead=dosing_example("325"),
        references=(FORMAT, ISMP),
        example_limits=TABLE_EXAMPLE,
    ),
)
