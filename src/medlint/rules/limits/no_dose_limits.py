"""ML806 no-dose-limits: A record whose doses cannot be checked: its table is broken, is for another drug, or is
missing while require-limits is on."""
from __future__ import annotations

from collections.abc import Iterator

from ...excerpt import quote
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, OTHER_DRUG_EXAMPLE, TABLE_EXAMPLE, dosing_example
from .compare import indication_of, other_drug


def _check_no_limits(record: Record, context: RuleContext) -> Iterator[Hit]:
    limits = context.limits
    if limits is None:
        return
    table = limits.table
    if table is None:
        if limits.required:
            yield Hit(("dosing",), f"there is no dose-limit table for this drug ({limits.path} does not exist), and "
                                   "`require-limits` is on: its doses are not checked",
                      hint=f"add {limits.path} (docs/limits.md)", on_key=True, subject="no table")
        return
    if not table.usable:
        yield Hit(("dosing",), f"{table.path} has {table.errors} problem(s), so these doses were not checked "
                               "against it", hint=f"run `medlint check {table.path}` and fix the table",
                  on_key=True, subject="unusable table")
        return
    other = other_drug(record, limits)
    if other is not None:
        yield Hit(("drug", "generic_name"), f"{table.path} holds the limits of `{other}`, not of this record's "
                                            "drug: its doses were not checked",
                  hint="put the record in its own drug's folder, or correct `drug.generic_name` in the table",
                  subject="other drug")
        return
    if not limits.required:
        return
    for index, entry in record.dose_entries():
        if not table.applicable(indication_of(record), entry):
            who = f"{quote(str(entry.get('population')))} {quote(str(entry.get('route')))}"
            yield Hit(("dosing", index), f"no entry of {table.path} covers this {who} dose, and `require-limits` "
                                         "is on",
                      hint="add an entry for this route, population and band to the table", subject=f"uncovered {who}")


NO_DOSE_LIMITS = Rule(
    code="ML806", name="no-dose-limits", family="limits", severity=Severity.ERROR,
    summary="A record whose doses cannot be checked: its table is broken, is for another drug, or is "
            "missing while require-limits is on.",
    check=_check_no_limits,
    docs=Docs(
        what="Reports a record whose drug's table (`limits/<drug>.yaml`, `<drug>` being the record's folder) "
             "has problems of its own (so it is not used), or names another `drug.generic_name`. With "
             "`require-limits = true` in `[tool.medlint]`, it also reports a record with no table and each dose "
             "entry that no table entry covers; the editors' report shows the coverage either way.",
        why="A broken or misplaced table would otherwise switch the dose checks off without a word, and a team "
            "that has decided every page needs limits wants to hear about the pages that have none.",
        example=OTHER_DRUG_EXAMPLE,
        use_instead=dosing_example("500"),
        references=(FORMAT,),
        example_limits=TABLE_EXAMPLE,
    ),
)
