"""ML801 dose-above-hard-limit: A dose, range end or cap above the hard limit of its drug's dose-limit table."""
from __future__ import annotations

from ...model import Severity
from ..base import Docs, Rule
from .common import FHIR, FORMAT, HOW, ISMP, TABLE_EXAMPLE, dosing_example
from .compare import family_check

DOSE_ABOVE_HARD_LIMIT = Rule(
    code="ML801", name="dose-above-hard-limit", family="limits", severity=Severity.ERROR,
    summary="A dose, range end or cap above the hard limit of its drug's dose-limit table.",
    check=family_check("over-hard"),
    docs=Docs(
        what=HOW + "Reports a single dose, the high end of a range or a `max_dose` above a `hard` limit, and a "
             "dose that repeats (`every 12 weeks`) where the table allows a set number of doses in a lifetime. "
             "Ten times the limit or more is ML804 instead.",
        why="A hard limit is the most the label allows: a page that states more tells a reader to give an "
            "overdose, however well the rest of the page agrees with itself.",
        example=dosing_example("1000", often="every 4 hours"),
        use_instead=dosing_example("1000", often="every 8 hours"),
        references=(FORMAT, ISMP, FHIR),
        example_limits=TABLE_EXAMPLE,
    ),
)
