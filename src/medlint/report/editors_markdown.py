"""The editors' report as Markdown (for a wiki, a pull-request comment, or reading as plain text): the same
sections as the HTML page, with the charts drawn as tables. Record text is escaped so that it can neither
inject HTML nor Markdown (links, images, table cells) into the rendered page."""
from __future__ import annotations

from collections.abc import Sequence

from ..summary import QUEUE_WINDOWS, STATUS_LABELS, Bucket, by_population, due_by_month
from .base import plural
from .editors import (
    EditorsReport,
    Entry,
    by_family,
    by_rule,
    entries,
    file_link,
    limit_coverage,
    overview,
    rules_fired,
    safe_url,
    workload,
)
from .markdown import escape as md

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


def _chart(buckets: Sequence[Bucket], head: str) -> list[str]:
    top = max((b.total for b in buckets), default=0)
    rows = [(f"**{md(b.label)}**" if b.overdue and b.total else md(b.label), b.total, _bar(b.total, top))
            for b in buckets]
    return _table([head, "records", ""], rows, numeric=(1,))


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
    lines += _table(["family", "errors", "warnings"], by_family(editors.report.active), numeric=(1, 2))
    counts = by_rule(editors.report.active)
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
    lines += _table(["drug", "table", "records", "dose entries covered"],
                    [(md(c.drug), md(c.table) or "none", c.records, f"{c.covered} of {c.dose_entries}")
                     for c in limit_coverage(editors.records)], numeric=(2,))
    return lines


def _queue(editors: EditorsReport) -> list[str]:
    queue = editors.queue
    lines = ["## Review queue", "",
             f"Reviews overdue or due within {QUEUE_WINDOWS[-1]} days of {editors.report.today.isoformat()}, "
             "soonest first.", ""]
    if not queue:
        return [*lines, "Nothing is due.", ""]
    rows = []
    for row in queue:
        record = row.record
        due = record.next_review_due.isoformat() if record.next_review_due else md(record.due_as_written or "missing")
        when = "" if row.days is None else (f"{-row.days} days overdue" if row.days < 0 else f"in {row.days} days")
        rows.append((row.label, f"{md(record.title)} ({md(record.path)})", due, when,
                     record.last_reviewed.isoformat() if record.last_reviewed else "",
                     md(", ".join(record.reviewers))))
    lines += _table(["status", "record", "review due", "when", "last reviewed", "reviewers"], rows)
    statuses = [status for status in STATUS_LABELS if any(row.status == status for row in queue)]
    people = workload(queue)
    lines += ["### Who has work waiting", ""]
    lines += _table(["reviewer", *(STATUS_LABELS[s] for s in statuses)],
                    [(md(name), *(counts[s] or "" for s in statuses)) for name, counts in people],
                    numeric=tuple(range(1, len(statuses) + 1)))
    return lines


def _entry(editors: EditorsReport, entry: Entry) -> list[str]:
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
    for finding in entry.findings:
        where = _link(f"{md(finding.path)}:{finding.line}", file_link(editors, finding.path, finding.line))
        hint = f" *Hint:* {md(finding.hint)}" if finding.hint else ""
        if finding.fix is not None and finding.fix.safe:  # "fix" only where medlint can make the change
            hint += " *Fixable:* `medlint fix`"
        lines.append(f"- **{finding.severity.value}** {where} [{finding.code}](#{finding.code.lower()}-{finding.name}) "
                     f"{finding.name}: {md(finding.message)}{hint}")
    return [*lines, ""]


def _records(editors: EditorsReport) -> list[str]:
    listed = entries(editors)
    flagged = [entry for entry in listed if entry.findings]
    clean = [entry for entry in listed if not entry.findings]
    lines = ["## Records", ""]
    for entry in flagged:
        lines += _entry(editors, entry)
    if clean:
        lines += [f"{plural(len(clean), 'record')} without findings: "
                  + ", ".join(md(entry.path) for entry in clean) + ".", ""]
    return lines


def _rules(editors: EditorsReport) -> list[str]:
    fired = rules_fired(editors.report.active)
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
    return "\n".join(head + _overview(editors) + _queue(editors) + _records(editors) + _rules(editors)).rstrip() + "\n"
