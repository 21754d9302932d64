"""ML807 invalid-limits: A dose-limit table that contradicts itself or uses a unit it cannot be compared in."""
from __future__ import annotations

from collections.abc import Iterator

from ... import limits
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, ISMP, TABLE_EXAMPLE


def _check_table(record: Record, context: RuleContext) -> Iterator[Hit]:
    return (hit for found, hit in limits.problems(record) if found == "contradiction")


INVALID_LIMITS = Rule(
    code="ML807", name="invalid-limits", family="limits", severity=Severity.ERROR,
    check_table=_check_table,
    summary="A dose-limit table that contradicts itself or uses a unit it cannot be compared in.",
    docs=Docs(
        what="Reports, in `limits/<drug>.yaml`, what its schema (`schemas/limits.schema.json`, whose findings "
             "are ML101-ML105) cannot: a unit outside the house vocabulary or of the wrong kind for its limit "
             "(`per_day` in `mg` rather than `mg/day`), a `soft` limit above the `hard` one, a `minimum` above a "
             "maximum, a limit with no number, an age or weight band that covers nobody, a concentration that "
             "is not an amount, and two entries for one route and population whose bands overlap but whose "
             "limits differ. A table with any of these is not used (ML806 tells its records). Its review dates "
             "are checked by ML501-ML506, as a record's are.",
        why="The table is what every dose of the drug is checked against: a contradiction in it either lets "
            "overdoses through or blocks correct pages, and an ambiguous overlap gives one child two answers.",
        example=TABLE_EXAMPLE.replace("      soft: 3000\n", "      soft: 5000\n"),
        use_instead=TABLE_EXAMPLE,
        references=(FORMAT, ISMP),
        example_file="limits/zolgensma.yaml",
    ),
)
