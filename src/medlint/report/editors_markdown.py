"""The editors' report as Markdown (for a wiki, a pull-request comment, a CI step summary, or reading as plain
text): the same sections as the HTML page, summary first, with the charts drawn as tables. Record text is
escaped so that it can neither inject HTML nor Markdown (links, images, table cells) into the rendered page.

GitHub takes at most 1 MiB of step summary, so the report stays under BUDGET whatever the corpus: the
summary sections are bounded (the first rows of each queue bucket, the busiest reviewers), and the records'
details, worst first, stop when the budget is spent, with a count of what was left out and where to find it.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..history import DUE_SOON_DAYS
from ..summary import QUEUE_WINDOWS, STATUS_LABELS, STATUSES, Bucket, by_population, due_by_month
from .base import plural
from .editors import (
    EditorsReport,
    RecordEntry,
    buckets,
    by_family,
    by_rule,
    entries,
    errors_by_family,
    file_link,
    glyphs,
    limit_coverage,
    overview,
    rules_fired,
    safe_url,
    trend,
    when,
    workload,
)
from .markdown import escape as md

BUDGET = 1_000_000  # bytes of UTF-8; GitHub's step summary limit is 1 MiB (1,048,576)
QUEUE_ROWS = 20  # per bucket
REVIEWERS = 25
FINDINGS_PER_RECORD = 25
CLEAN_LISTED = 50
COVERAGE_ROWS = 50  # drugs, least covered first
_BAR_WIDTH = 24


def _url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def _link(text: str, href: str | None) -> str:
    """`text` must already be escaped."""
    return f"[{text}]({_url(href)})" if href else text


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int] = ()) -> list[str]:
    align = ["---:" if index in numeric else "---" for index in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _bar(value: int, top: int) -> str:
    return "\u2588" * max(1 if value else 0, round(_BAR_WIDTH * value / (top or 1)))


def _chart(buckets_: Sequence[Bucket], head: str) -> list[str]:
    top = max((b.total for b in buckets_), default=0)
    rows = [(f"**{md(b.label)}**" if b.overdue and b.total else md(b.label), b.total, _bar(b.total, top))
            for b in buckets_]
    return _table([head, "records", ""], rows, numeric=(1,))


def _more(shown: int, total: int, what: str, where: str) -> list[str]:
    return [f"… and {total - shown:,} more {what} ({where}).", ""] if total > shown else []


def _finding_text(text: str) -> str:
    """Escaped; a character a font may lack is followed by its code point, an invisible one replaced by it."""
    return "".join(md(part if isinstance(part, str) else f"<{part.code}>" if part.invisible
                      else f"{part.char} ({part.code})") for part in glyphs(text))


# --- this week --------------------------------------------------------------------------------------------------

def _work(editors: EditorsReport) -> list[str]:
    ov = overview(editors)
    queue = editors.queue
    counts = {status: sum(1 for row in queue if row.status == status) for status in STATUSES}
    lines = ["## This week", "", f"Reviews by when they fall due, as of {editors.report.today.isoformat()}, and the "
             "errors to fix.", ""]
    lines += _table(["", "records"], [*((STATUS_LABELS[status], counts[status]) for status in STATUSES),
                                      ("With errors", ov.with_errors)], numeric=(1,))
    families = errors_by_family(editors.report.active, editors.report.rules)
    lines += ["### Errors to fix, by rule family", ""]
    lines += _table(["family", "errors", "records", "rules"],
                    [(item.family, item.errors, item.records, ", ".join(f"{rule.code} {count}" for rule, count
                                                                        in item.rules)) for item in families],
                    numeric=(1, 2)) if families else ["No errors.", ""]
    people = workload(queue)
    lines += ["### Who has work waiting", "", "Records in the review queue, by the reviewers who reviewed them last.",
              ""]
    if not people:
        return [*lines, "Nobody has a review due.", ""]
    statuses = [status for status in STATUSES if any(counts_[status] for _, counts_ in people)]
    lines += _table(["reviewer", *(STATUS_LABELS[s] for s in statuses), "all"],
                    [(md(name), *(n[s] or "" for s in statuses), n.total()) for name, n in people[:REVIEWERS]],
                    numeric=tuple(range(1, len(statuses) + 2)))
    return lines + _more(REVIEWERS, len(people), "reviewers", "the HTML report lists them all")


def _queue(editors: EditorsReport) -> list[str]:
    queue = editors.queue
    lines = ["## Review queue", "",
             f"Reviews overdue or due within {QUEUE_WINDOWS[-1]} days of {editors.report.today.isoformat()}, "
             "soonest first, each record in the first bucket it fits.", ""]
    if not queue:
        return [*lines, "Nothing is due.", ""]
    for status, rows in buckets(queue):
        lines += [f"### {STATUS_LABELS[status]} ({len(rows):,})", ""]
        table = []
        for row in rows[:QUEUE_ROWS]:
            record = row.record
            due = (record.next_review_due.isoformat() if record.next_review_due
                   else md(record.due_as_written or "missing"))
            table.append((f"{md(record.title)} ({md(record.path)})", due, when(row),
                          record.last_reviewed.isoformat() if record.last_reviewed else "",
                          md(", ".join(record.reviewers))))
        lines += _table(["record", "review due", "when", "last reviewed", "reviewers"], table)
        lines += _more(QUEUE_ROWS, len(rows), "records", "`medlint report --format csv` lists the whole queue")
    return lines


def _trend(editors: EditorsReport) -> list[str]:
    weeks = editors.history
    if not weeks:
        return []
    lines = ["## Over time", "", trend(weeks), ""]
    top = max((w.errors + w.warnings for w in weeks), default=0)
    return lines + _table(
        ["week to", "commit", "records", "errors", "warnings", "records with errors", "overdue",
         f"due within {DUE_SOON_DAYS} days", "findings"],
        [(w.end.isoformat(), f"`{w.commit[:10]}`" if w.commit else "none", w.records, w.errors, w.warnings,
          w.with_errors, w.overdue, w.due_soon, _bar(w.errors + w.warnings, top)) for w in weeks],
        numeric=(2, 3, 4, 5, 6, 7))


# --- overview ---------------------------------------------------------------------------------------------------

def _overview(editors: EditorsReport) -> list[str]:
    ov = overview(editors)
    lines = ["## Overview", ""]
    lines += _table(["", "count"], [
        ("Records checked", ov.records), ("Records with errors", ov.with_errors),
        ("Records with warnings only", ov.with_warnings), ("Records without findings", ov.clean),
        ("Errors", ov.errors), ("Warnings", ov.warnings), ("Suppressed inline", ov.suppressed),
        ("Accepted by the baseline", ov.baselined), ("Reviews overdue", ov.overdue),
        (f"Reviews due within {QUEUE_WINDOWS[-1]} days", ov.due_soon)], numeric=(1,))
    lines += ["### Findings by rule family", ""]
    lines += _table(["family", "errors", "warnings"], by_family(editors.report.active, editors.report.rules),
                    numeric=(1, 2))
    counts = by_rule(editors.report.active, editors.report.rules)
    lines += ["### Findings by rule", ""]
    top = max((c.total for c in counts), default=0)
    lines += _table(["rule", "errors", "warnings", ""],
                    [(f"[{c.rule.code}](#{c.rule.code.lower()}-{c.rule.name}) {c.rule.name}", c.errors, c.warnings,
                      _bar(c.total, top)) for c in counts], numeric=(1, 2)) if counts else ["No findings.", ""]
    lines += ["### Reviews falling due by month", ""]
    lines += _chart(due_by_month(editors.records, editors.report.today), "month")
    lines += ["### Records by population", ""]
    lines += _chart(by_population(editors.records), "population")
    lines += ["### Dose limits by drug", "", "Dose entries that an entry of the drug's dose-limit table covers "
              "(its file in the limits folder); uncovered doses are checked against nothing.", ""]
    coverage = limit_coverage(editors.records)
    lines += _table(["drug", "table", "records", "dose entries covered"],
                    [(md(c.drug), md(c.table) or "none", c.records, f"{c.covered} of {c.dose_entries}")
                     for c in coverage[:COVERAGE_ROWS]], numeric=(2,))
    return lines + _more(COVERAGE_ROWS, len(coverage), "drugs", "the HTML report lists them all")


# --- records ----------------------------------------------------------------------------------------------------

def _entry(editors: EditorsReport, entry: RecordEntry) -> list[str]:
    lines = [f"### {md(entry.title)}", "", f"File: {md(entry.path)}", ""]
    summary = entry.summary
    if summary is not None:
        due = summary.next_review_due.isoformat() if summary.next_review_due else md(summary.due_as_written or "none")
        lines += [f"- Population: {md(summary.population)}; last reviewed: "
                  f"{summary.last_reviewed.isoformat() if summary.last_reviewed else 'none'}; review due: {due}",
                  f"- Reviewers: {md(', '.join(summary.reviewers)) or 'none named'}"]
        lines += [f"- Source: {_link(md(source.title), safe_url(source.url))}"
                  + (f" ({md(source.url)})" if source.url and not safe_url(source.url) else "")
                  for source in summary.sources]
        lines.append("")
    for finding in entry.findings[:FINDINGS_PER_RECORD]:
        where = _link(f"{md(finding.path)}:{finding.line}", file_link(editors, finding.path, finding.line))
        hint = f" *Hint:* {_finding_text(finding.hint)}" if finding.hint else ""
        if finding.fix is not None and finding.fix.safe:  # "fix" only where medlint can make the change
            hint += " *Fixable:* `medlint fix`"
        lines.append(f"- **{finding.severity.value}** {where} [{finding.code}](#{finding.code.lower()}-{finding.name}) "
                     f"{finding.name}: {_finding_text(finding.message)}{hint}")
    if len(entry.findings) > FINDINGS_PER_RECORD:
        lines.append(f"- … and {len(entry.findings) - FINDINGS_PER_RECORD:,} more findings in this record "
                     "(`medlint check` lists them all)")
    return [*lines, ""]


def _size(lines: Sequence[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _records(editors: EditorsReport, room: int) -> list[str]:
    """The records with findings, worst first, as many as `room` bytes hold; then what was left out."""
    listed = entries(editors)
    flagged = [entry for entry in listed if entry.findings]
    clean = [entry for entry in listed if not entry.findings]
    lines = ["## Records", "", "Worst first.", ""]
    tail = [f"{plural(len(clean), 'record')} without findings: "
            + ", ".join(md(entry.path) for entry in clean[:CLEAN_LISTED])
            + (f", and {len(clean) - CLEAN_LISTED:,} more." if len(clean) > CLEAN_LISTED else "."), ""] if clean else []
    room -= _size(lines) + _size(tail) + 400  # 400: the note on what was left out
    shown = 0
    for entry in flagged:
        block = _entry(editors, entry)
        if _size(block) > room:
            break
        lines += block
        room -= _size(block)
        shown += 1
    left = flagged[shown:]
    if left:
        errors = sum(1 for entry in left for f in entry.findings if f.severity.value == "error")
        warnings = sum(len(entry.findings) for entry in left) - errors
        lines += [f"… and {len(left):,} more records with findings ({plural(errors, 'error')}, "
                  f"{plural(warnings, 'warning')}) that do not fit in a step summary: the HTML report "
                  "(`medlint report --out report.html`) and `medlint check` list them all.", ""]
    return lines + tail


def _rules(editors: EditorsReport) -> list[str]:
    fired = rules_fired(editors.report.active, editors.report.rules)
    if not fired:
        return []
    lines = ["## Rules in this report", ""]
    for rule in fired:
        lines += [f"### {rule.code} {rule.name}", "", rule.summary, "", f"**What it does.** {rule.docs.what}", "",
                  f"**Why it matters.** {rule.docs.why}", "", f"Details: `medlint explain {rule.code}`.", ""]
    return lines


def render(editors: EditorsReport) -> str:
    report = editors.report
    scope = f" of {md(editors.scope)}" if editors.scope else ""
    head = ["# Drug-information records: editorial report", "",
            f"{plural(report.records, 'record')} checked{scope}. Review dates as of {report.today.isoformat()}. "
            f"medlint {report.tool_version}.", ""]
    summary = head + _work(editors) + _queue(editors) + _trend(editors) + _overview(editors)
    rules = _rules(editors)
    lines = summary + _records(editors, BUDGET - _size(summary) - _size(rules)) + rules
    return "\n".join(lines).rstrip() + "\n"
