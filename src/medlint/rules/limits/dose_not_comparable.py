"""ML805 dose-not-comparable: A dose whose unit or frequency cannot be compared with its drug's dose-limit table."""
from __future__ import annotations

from ...model import Severity
from ..base import Docs, Rule
from .common import FORMAT, TABLE_EXAMPLE, dosing_example
from .compare import family_check

DOSE_NOT_COMPARABLE = Rule(
    code="ML805", name="dose-not-comparable", family="limits", severity=Severity.WARNING,
    summary="A dose whose unit or frequency cannot be compared with its drug's dose-limit table.",
    check=family_check("not-comparable"),
    docs=Docs(
        what="Warns when the table has limits for a dose entry but none measures its unit (a dose in mL where "
             "the entry gives no `concentration`, tablets against limits in mg), and when a per-day or lifetime "
             "limit applies but the `frequency` is not in the vocabulary (`every 6 to 4 hours`), so the doses "
             "in a day cannot be counted. The dose was not checked: this says so instead of passing silently.",
        why="A limit that cannot be applied protects nobody. Either the dose is written in a form the label "
            "does not use, or the table lacks the strength of the liquid.",
        example=dosing_example("10", unit="mL"),
        use_instead=dosing_example("500"),
        references=(FORMAT, "docs/record-format.md: Frequency"),
        example_limits=TABLE_EXAMPLE,
    ),
)
