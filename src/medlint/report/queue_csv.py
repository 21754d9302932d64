"""The review queue as CSV, for a spreadsheet: one row per record overdue or due soon, soonest first. With
`--history`, the weekly trend instead (a CSV file holds one table): one row per week, oldest first."""
from __future__ import annotations

import csv
import io

from ..escaping import visible
from ..history import Week
from .editors import EditorsReport

COLUMNS = ("status", "days_until_due", "next_review_due", "last_reviewed", "record", "id", "path", "population",
           "reviewers")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Record text as a cell: controls shown as escapes, as in the text format (a CSV file is also read in a
    terminal), and what a spreadsheet would run as a formula (`=HYPERLINK(...)`) kept as text."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA) else text


def render(editors: EditorsReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if editors.history:
        writer.writerow(("week_to", *Week._fields[1:]))
        writer.writerows((week.end.isoformat(), *week[1:]) for week in editors.history)
        return out.getvalue()
    writer.writerow(COLUMNS)
    for row in editors.queue:
        record = row.record
        due = record.next_review_due.isoformat() if record.next_review_due else cell(record.due_as_written)
        writer.writerow([row.status, "" if row.days is None else row.days, due,
                         record.last_reviewed.isoformat() if record.last_reviewed else "",
                         cell(record.title), cell(record.id or ""), cell(record.path), cell(record.population),
                         cell("; ".join(record.reviewers))])
    return out.getvalue()
