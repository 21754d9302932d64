"""The editors' view of the corpus: what each record says about itself, and the review queue built from it.

Extracted from the loaded record in the same pass that lints it (the runner asks engine.lint_source for
the SUMMARY facts), so a report never reads a file twice. Everything here is a pure function of record data
and a date; the values are small, frozen and picklable, so they travel back from worker processes with the
findings.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from .record import Record
from .rules.base import Extractor, RuleContext
from .rules.corpus import drug_slug
from .rules.limits.compare import coverage

QUEUE_WINDOWS = (7, 30, 60, 90)  # days: the review queue's "due within" buckets (this week first)
MONTHS_AHEAD = 12  # the due-by-month chart's horizon
POPULATIONS = ("pediatric", "adult", "all")
NOT_STATED = "not stated"


class CitedSource(NamedTuple):
    title: str
    url: str


class RecordSummary(NamedTuple):
    path: str
    id: str | None
    brand_name: str | None
    generic_name: str | None
    condition: str | None
    population: str  # one of POPULATIONS, or NOT_STATED (missing or outside the vocabulary)
    last_reviewed: dt.date | None
    next_review_due: dt.date | None
    due_as_written: str  # the raw value when it is not a date, so the queue can show what is wrong
    due_line: int  # where `next_review_due` (or the nearest thing above it) is written
    reviewers: tuple[str, ...]  # "A. Reviewer, PharmD"
    sources: tuple[CitedSource, ...]
    drug: str | None = None  # the records/<drug>/ folder, which names its dose-limit table
    dose_entries: int = 0
    limited_entries: int = 0  # dose entries that an entry of the drug's usable dose-limit table covers
    limits_table: str = ""  # that table's path, "" when the drug has none (or it cannot be used)

    @property
    def title(self) -> str:
        """How an editor names the page: brand name and condition, else the id, else the path."""
        if self.brand_name and self.condition:
            return f"{self.brand_name}: {self.condition}"
        return self.id or self.path


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _reviewer(item: dict[str, Any]) -> str | None:
    name, credentials = _text(item.get("name")), _text(item.get("credentials"))
    return f"{name}, {credentials}" if name and credentials else name


def summarise(record: Record) -> RecordSummary:
    data = record.data
    drug, indication, review = (record.section(key) for key in ("drug", "indication", "review"))
    population = _text(indication.get("population"))
    due = review.get("next_review_due")
    reviewers = (_reviewer(item) for item in _items(review.get("reviewers")))
    sources = (CitedSource(_text(item.get("title")) or "(untitled source)", _text(item.get("url")) or "")
               for item in _items(data.get("sources")))
    return RecordSummary(
        path=record.path,
        id=_text(data.get("id")),
        brand_name=_text(drug.get("brand_name")),
        generic_name=_text(drug.get("generic_name")),
        condition=_text(indication.get("condition")),
        population=population if population in POPULATIONS else NOT_STATED,
        last_reviewed=record.review_dates[0],
        next_review_due=record.review_dates[1],
        due_as_written="" if due is None or record.review_dates[1] else str(due),
        due_line=record.locate(("review", "next_review_due")).line,
        reviewers=tuple(name for name in reviewers if name),
        sources=tuple(sources),
    )


def _summary(record: Record, context: RuleContext) -> RecordSummary:
    table, entries, limited = coverage(record, context.limits)
    return summarise(record)._replace(drug=drug_slug(record), dose_entries=entries, limited_entries=limited,
                                      limits_table=table)


# what `medlint report` shows of a record beyond its findings, with its dose-limit table's coverage
SUMMARY = Extractor("summary", RecordSummary, _summary)


# --- the review queue -------------------------------------------------------------------------

class QueueRow(NamedTuple):
    record: RecordSummary
    status: str  # one of STATUSES: "no-date" (missing or not a date), "overdue", "due-7", ... "due-90"
    days: int | None  # days from today to the due date; negative when overdue

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


# the queue's order: undated first (nobody knows when they are due), then overdue, then soonest due
STATUSES = ("no-date", "overdue", *(f"due-{days}" for days in QUEUE_WINDOWS))
STATUS_LABELS = {"overdue": "Overdue", "no-date": "No valid due date",
                 **{f"due-{days}": f"Due within {days} days" for days in QUEUE_WINDOWS}}


def _status(days: int) -> str | None:
    if days < 0:
        return "overdue"
    return next((f"due-{window}" for window in QUEUE_WINDOWS if days <= window), None)


def review_queue(records: Iterable[RecordSummary], today: dt.date) -> list[QueueRow]:
    """Records whose review is overdue or due within the largest window, soonest first; records whose due
    date cannot be read come first of all, because nobody knows when they are due."""
    rows: list[QueueRow] = []
    for record in records:
        if record.next_review_due is None:
            rows.append(QueueRow(record, "no-date", None))
            continue
        days = (record.next_review_due - today).days
        status = _status(days)
        if status is not None:
            rows.append(QueueRow(record, status, days))
    return sorted(rows, key=lambda row: (row.days is not None, row.days or 0, row.record.path))


# --- chart data -------------------------------------------------------------------------------

class Bucket(NamedTuple):
    label: str
    total: int
    overdue: bool = False


def _month_start(day: dt.date, ahead: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + ahead
    return dt.date(index // 12, index % 12 + 1, 1)


def due_by_month(records: Iterable[RecordSummary], today: dt.date, months: int = MONTHS_AHEAD) -> list[Bucket]:
    """Overdue reviews, then reviews falling due in each month from today's, then the ones due later."""
    starts = [_month_start(today, ahead) for ahead in range(months + 1)]
    counts: Counter[int] = Counter()
    overdue = later = 0
    for record in records:
        due = record.next_review_due
        if due is None:
            continue
        if due < today:
            overdue += 1
        elif due >= starts[-1]:
            later += 1
        else:
            counts[next(i for i in range(months) if due < starts[i + 1])] += 1
    return [Bucket("Overdue", overdue, overdue=True),
            *(Bucket(starts[i].strftime("%b %Y"), counts[i]) for i in range(months)),
            Bucket("Later", later)]


def by_population(records: Sequence[RecordSummary]) -> list[Bucket]:
    counts = Counter(record.population for record in records)
    return [Bucket(name, counts[name]) for name in (*POPULATIONS, NOT_STATED) if counts[name] or name != NOT_STATED]
