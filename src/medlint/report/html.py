"""The editors' report as one self-contained HTML page: inline CSS, inline SVG charts, a small inline script
for sorting and filtering, nothing fetched. Record text is untrusted: every piece of it goes through `_e`,
only http(s) URLs become links, and a Content-Security-Policy that allows exactly the page's own script and
stylesheet (by hash) stops anything that slipped through from running."""
from __future__ import annotations

import base64
import hashlib
import re
import string
from collections.abc import Iterable, Sequence
from html import escape
from importlib import resources

from ..escaping import visible
from ..model import Finding, Severity
from ..rules.base import Rule
from ..summary import QUEUE_WINDOWS, STATUS_LABELS, QueueRow, RecordSummary, by_population, due_by_month
from .base import plural
from .editors import (
    EditorsReport,
    Entry,
    Overview,
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
from .svg import Bar, bar_chart, column_chart

_STATUS_ORDER = ("no-date", "overdue", *(f"due-{days}" for days in QUEUE_WINDOWS))
_BACKTICKS = re.compile(r"`([^`]+)`")


def _e(text: object) -> str:
    return escape(visible(str(text)), quote=True)


def _prose(text: str) -> str:
    """Escaped text with `code spans` shown as code (safe: the text holds no markup once escaped)."""
    return _BACKTICKS.sub(r"<code>\1</code>", _e(text))


def _asset(name: str) -> str:
    return (resources.files("medlint") / "html" / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _date(value: object) -> str:
    return _e(value) if value else '<span class="muted">none</span>'


def _link(href: str | None, text: str, cls: str = "") -> str:
    """`text` must already be escaped; `href` is escaped here."""
    attr = f' class="{cls}"' if cls else ""
    return f'<a href="{_e(href)}"{attr}>{text}</a>' if href else f"<span{attr}>{text}</span>"


def _badge(kind: str, text: str) -> str:
    return f'<span class="badge {kind}">{_e(text)}</span>'


# --- overview ---------------------------------------------------------------------------------

def _card(number: int, caption: str, kind: str = "", href: str = "") -> str:
    inner = f'<span class="num">{number}</span><span class="cap">{_e(caption)}</span>'
    return f'<a class="card {kind}" href="{href}">{inner}</a>' if href else f'<div class="card {kind}">{inner}</div>'


def _cards(ov: Overview) -> str:
    return '<div class="cards">' + "".join([
        _card(ov.records, "records checked"),
        _card(ov.with_errors, "with errors", "error" if ov.with_errors else "ok", "#records"),
        _card(ov.with_warnings, "with warnings only", "warning" if ov.with_warnings else "ok", "#records"),
        _card(ov.clean, "without findings", "ok"),
        _card(ov.overdue, "reviews overdue", "error" if ov.overdue else "ok", "#queue-section"),
        _card(ov.due_soon, f"reviews due within {QUEUE_WINDOWS[-1]} days", "warning" if ov.due_soon else "ok",
              "#queue-section"),
    ]) + "</div>"


def _family_table(editors: EditorsReport, ov: Overview) -> str:
    rows = "".join(f'<tr><th scope="row">{_e(family)}</th><td class="n">{_count(errors)}</td>'
                   f'<td class="n">{_count(warnings)}</td></tr>'
                   for family, errors, warnings in by_family(editors.report.active))
    notes = []
    if ov.suppressed:
        notes.append(f"{plural(ov.suppressed, 'finding')} suppressed inline")
    if ov.baselined:
        notes.append(f"{plural(ov.baselined, 'finding')} accepted by the baseline")
    if ov.files != ov.records:
        notes.append(f"{plural(ov.files - ov.records, 'file')} could not be read as a record")
    note = f'<p class="note">Not counted: {_e("; ".join(notes))}.</p>' if notes else ""
    return ('<table class="compact"><thead><tr><th scope="col">Rule family</th><th scope="col" class="n">Errors</th>'
            f'<th scope="col" class="n">Warnings</th></tr></thead><tbody>{rows}</tbody>'
            f'<tfoot><tr><th scope="row">Total</th><td class="n">{ov.errors}</td><td class="n">{ov.warnings}</td>'
            f"</tr></tfoot></table>{note}")


def _count(number: int) -> str:
    return str(number) if number else '<span class="muted">0</span>'


def _panel(title: str, body: str, wide: bool = False) -> str:
    return f'<figure class="panel{" wide" if wide else ""}"><figcaption>{_e(title)}</figcaption>{body}</figure>'


def _panels(editors: EditorsReport, ov: Overview) -> list[str]:
    counts = by_rule(editors.report.active)
    rule_chart = (bar_chart([Bar(f"{c.rule.code} {c.rule.name}", ((c.errors, "error"), (c.warnings, "warning")),
                                 f"#rule-{c.rule.code}") for c in counts], "Findings by rule")
                  if counts else '<p class="empty">No findings.</p>')
    legend = ('<p class="legend"><span class="key error"></span>error <span class="key warning"></span>warning</p>'
              if counts else "")
    months = column_chart(due_by_month(editors.records, editors.report.today), "Reviews falling due by month")
    results = bar_chart([Bar("with errors", ((ov.with_errors, "error"),)),
                         Bar("warnings only", ((ov.with_warnings, "warning"),)),
                         Bar("no findings", ((ov.clean, "ok"),))], "Records by result", width=520, label_width=110)
    populations = bar_chart([Bar(b.label, ((b.total, "population"),)) for b in by_population(editors.records)],
                            "Records by population", width=520, label_width=110)
    none = '<span class="muted">none</span>'
    coverage = "".join(f"<tr><td>{_e(c.drug)}</td><td>{_e(c.table) or none}</td>"
                       f"<td>{c.records}</td><td>{c.covered} of {c.dose_entries}</td></tr>"
                       for c in limit_coverage(editors.records))
    limits_table = ("<table><thead><tr><th>drug</th><th>table</th><th>records</th><th>dose entries covered</th>"
                    f"</tr></thead><tbody>{coverage}</tbody></table>")
    return [_panel("Findings by severity and rule family", _family_table(editors, ov)),
            _panel("Records", f"<h4>By result</h4>{results}<h4>By population</h4>{populations}"),
            _panel("Findings by rule", rule_chart + legend, wide=True),
            _panel("Reviews falling due, month by month (overdue in red)", months, wide=True),
            _panel("Dose limits by drug (dose entries the drug's limits table covers)", limits_table, wide=True)]


def _overview(editors: EditorsReport, ov: Overview) -> str:
    return ('<section id="overview"><h2>Overview</h2>' + _cards(ov) + '<div class="grid">'
            + "".join(_panels(editors, ov)) + "</div></section>")


# --- review queue -----------------------------------------------------------------------------

def _days(row: QueueRow) -> str:
    if row.days is None:
        return '<span class="muted">unknown</span>'
    if row.days < 0:
        return f'<span class="late">{plural(-row.days, "day")} overdue</span>'
    return "today" if row.days == 0 else f"in {plural(row.days, 'day')}"


def _queue_row(row: QueueRow, anchors: dict[str, str]) -> str:
    record = row.record
    due = record.next_review_due.isoformat() if record.next_review_due else ""
    due_cell = _e(due) if due else f'<span class="late">{_e(record.due_as_written or "missing")}</span>'
    last = record.last_reviewed.isoformat() if record.last_reviewed else ""
    reviewers = "<br>".join(_e(name) for name in record.reviewers) or '<span class="muted">none named</span>'
    sort_days = "" if row.days is None else str(row.days)
    return (f'<tr data-status="{row.status}">'
            f'<td data-sort="{_STATUS_ORDER.index(row.status)}">{_badge(row.status, row.label)}</td>'
            f'<td><a href="#{anchors[record.path]}">{_e(record.title)}</a><div class="sub">{_e(record.path)}</div></td>'
            f'<td data-sort="{_e(due)}">{due_cell}</td>'
            f'<td data-sort="{sort_days}" class="n">{_days(row)}</td>'
            f'<td data-sort="{_e(last)}">{_date(last)}</td>'
            f"<td>{reviewers}</td></tr>")


def _sortable_head(columns: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f'<th scope="col" aria-sort="none"><button type="button" data-type="{kind}">{_e(name)}'
                    f'<span class="arrow" aria-hidden="true"></span></button></th>' for name, kind in columns)
    return f"<thead><tr>{cells}</tr></thead>"


def _filter_controls(target: str, placeholder: str, options: Iterable[tuple[str, str]], label: str) -> str:
    choices = "".join(f'<option value="{_e(value)}">{_e(text)}</option>' for value, text in options)
    return (f'<div class="controls" data-filter-for="{target}">'
            f'<label>Filter <input type="search" placeholder="{_e(placeholder)}" autocomplete="off"></label>'
            f'<label>{_e(label)} <select><option value="">All</option>{choices}</select></label>'
            f'<span class="count" aria-live="polite"></span></div>')


def _workload(queue: Sequence[QueueRow]) -> str:
    people = workload(queue)
    if not people:
        return ""
    head = "".join(f'<th scope="col" class="n">{_e(STATUS_LABELS[status])}</th>' for status in _STATUS_ORDER)
    rows = "".join(f'<tr><th scope="row">{_e(name)}</th>'
                   + "".join(f'<td class="n{" late" if status == "overdue" and counts[status] else ""}">'
                             f'{counts[status] or ""}</td>' for status in _STATUS_ORDER) + "</tr>"
                   for name, counts in people)
    return ('<h3>Who has work waiting</h3><p class="note">Records in the queue, by the reviewers who reviewed '
            f'them last.</p><table class="compact workload"><thead><tr><th scope="col">Reviewer</th>{head}</tr>'
            f"</thead><tbody>{rows}</tbody></table>")


def _queue(editors: EditorsReport, anchors: dict[str, str]) -> str:
    queue = editors.queue
    intro = (f'<p class="note">Reviews overdue or due within {QUEUE_WINDOWS[-1]} days of '
             f"{_e(editors.report.today.isoformat())}, soonest first. Click a column to sort it.</p>")
    if not queue:
        return (f'<section id="queue-section"><h2>Review queue</h2>{intro}<p class="empty">No review is overdue '
                f"or due within {QUEUE_WINDOWS[-1]} days.</p></section>")
    statuses = [(status, STATUS_LABELS[status]) for status in _STATUS_ORDER if any(r.status == status for r in queue)]
    head = _sortable_head([("Status", "number"), ("Record", "text"), ("Review due", "text"), ("When", "number"),
                           ("Last reviewed", "text"), ("Reviewers", "text")])
    rows = "".join(_queue_row(row, anchors) for row in queue)
    return (f'<section id="queue-section"><h2>Review queue</h2>{intro}'
            + _filter_controls("queue", "Record, reviewer, date…", statuses, "Status")
            + f'<table id="queue" class="sortable">{head}<tbody>{rows}</tbody></table>'
            + _workload(queue) + "</section>")


# --- records ----------------------------------------------------------------------------------

def _finding_row(editors: EditorsReport, finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}"
    shown = f"line {finding.line}, col {finding.column}"
    hint = f'<div class="hint">{_prose(finding.hint)}</div>' if finding.hint else ""
    fixable = ' <span class="tag">fixable</span>' if finding.fix is not None and finding.fix.safe else ""
    return (f'<tr><td>{_badge(finding.severity.value, finding.severity.value)}</td>'
            f'<td title="{_e(where)}">{_link(file_link(editors, finding.path, finding.line), shown, "loc")}</td>'
            f'<td><a href="#rule-{_e(finding.code)}">{_e(finding.code)}</a>'
            f'<div class="sub">{_e(finding.name)}</div></td>'
            f"<td>{_prose(finding.message)}{fixable}{hint}</td></tr>")


def _sources(summary: RecordSummary) -> str:
    items = "".join(f"<li>{_link(safe_url(source.url), _e(source.title))}"
                    + (f' <span class="url">{_e(source.url)}</span>' if source.url else "") + "</li>"
                    for source in summary.sources)
    return f"<ul class=\"sources\">{items}</ul>" if items else '<span class="muted">none</span>'


def _facts(editors: EditorsReport, entry: Entry) -> str:
    summary = entry.summary
    rows = [("File", _link(file_link(editors, entry.path, 1), _e(entry.path), "loc"))]
    if summary is not None:
        drug = " / ".join(_e(name) for name in (summary.brand_name, summary.generic_name) if name)
        rows += [("Id", _e(summary.id or "none")), ("Drug", drug or '<span class="muted">not stated</span>'),
                 ("Population", _e(summary.population)), ("Last reviewed", _date(summary.last_reviewed)),
                 ("Review due", _date(summary.next_review_due or summary.due_as_written)),
                 ("Reviewers", _e(", ".join(summary.reviewers)) or '<span class="muted">none named</span>'),
                 ("Sources", _sources(summary))]
    return '<dl class="facts">' + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows) + "</dl>"


def _severity_badges(findings: Sequence[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    return (_badge("error", plural(errors, "error")) if errors else "") + (
        _badge("warning", plural(warnings, "warning")) if warnings else "")


def _record_card(editors: EditorsReport, entry: Entry, anchor: str) -> str:
    worst = entry.worst.value if entry.worst else "clean"
    rows = "".join(_finding_row(editors, f) for f in entry.findings)
    return (f'<article class="record {worst}" id="{anchor}" data-status="{worst}">'
            f'<header><h3>{_e(entry.title)}</h3><div>{_severity_badges(entry.findings)}</div></header>'
            + _facts(editors, entry)
            + '<table class="findings"><thead><tr><th scope="col">Severity</th><th scope="col">Where</th>'
            f'<th scope="col">Rule</th><th scope="col">Problem</th></tr></thead><tbody>{rows}</tbody></table>'
            "</article>")


def _clean_table(clean: Sequence[tuple[Entry, str]]) -> str:
    rows = "".join(
        f'<tr id="{anchor}" data-status="clean"><td>{_e(entry.title)}<div class="sub">{_e(entry.path)}</div></td>'
        f"<td>{_e(entry.summary.population) if entry.summary else ''}</td>"
        f"<td>{_date(entry.summary.last_reviewed if entry.summary else None)}</td>"
        f"<td>{_date(entry.summary.next_review_due if entry.summary else None)}</td>"
        f"<td>{_e(', '.join(entry.summary.reviewers)) if entry.summary else ''}</td></tr>"
        for entry, anchor in clean)
    return (f'<details class="clean"><summary>{plural(len(clean), "record")} without findings</summary>'
            '<table class="compact"><thead><tr><th scope="col">Record</th><th scope="col">Population</th>'
            '<th scope="col">Last reviewed</th><th scope="col">Review due</th><th scope="col">Reviewers</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></details>")


def _records(editors: EditorsReport, listed: Sequence[tuple[Entry, str]]) -> str:
    flagged = [(entry, anchor) for entry, anchor in listed if entry.findings]
    clean = [(entry, anchor) for entry, anchor in listed if not entry.findings]
    cards = "".join(_record_card(editors, entry, anchor) for entry, anchor in flagged)
    worst = [("error", "With errors"), ("warning", "With warnings only")]
    controls = _filter_controls("record-cards", "Record, rule, message…", worst, "Show") if flagged else ""
    body = f'<div id="record-cards">{cards}</div>' if flagged else '<p class="empty">No record has findings.</p>'
    return ('<section id="records"><h2>Records</h2><p class="note">Each record with findings, worst first; '
            "each finding links to the file and line that hold it, and its rule to the rule's docs.</p>"
            + controls + body + (_clean_table(clean) if clean else "") + "</section>")


# --- rule docs --------------------------------------------------------------------------------

def _rule(rule: Rule) -> str:
    docs = rule.docs
    # medlint's own docs, not record text: their line breaks are the example's layout
    examples = "".join(f'<div><h4>{title}</h4><pre>{escape(text.rstrip())}</pre></div>'
                       for title, text in (("Example", docs.example), ("Use instead", docs.use_instead)) if text)
    references = ("<p class=\"refs\"><b>References:</b> " + "; ".join(_prose(ref) for ref in docs.references) + "</p>"
                  if docs.references else "")
    fix = " Fixable with <code>medlint fix</code>." if rule.fixable else ""
    return (f'<section class="rule" id="rule-{_e(rule.code)}"><h3>{_e(rule.code)} {_e(rule.name)}</h3>'
            f'<p class="lead">{_prose(rule.summary)} <span class="muted">Family: {_e(rule.family)}; default severity: '
            f"{_e(rule.severity.value)}.{fix}</span></p>"
            f"<p><b>What it does.</b> {_prose(docs.what)}</p><p><b>Why it matters.</b> {_prose(docs.why)}</p>"
            f'<div class="examples">{examples}</div>{references}</section>')


def _rules(editors: EditorsReport) -> str:
    fired = rules_fired(editors.report.active)
    body = "".join(_rule(rule) for rule in fired) or '<p class="empty">No rule found anything.</p>'
    return ('<section id="rules"><h2>Rules in this report</h2><p class="note">The docs of every rule that found '
            f"something (<code>medlint explain CODE</code> prints the same).</p>{body}</section>")


# --- the page ---------------------------------------------------------------------------------

def render(editors: EditorsReport) -> str:
    report = editors.report
    ov = overview(editors)
    listed = [(entry, f"rec-{index}") for index, entry in enumerate(entries(editors), 1)]
    anchors = {entry.path: anchor for entry, anchor in listed}
    scope = f" of {editors.scope}" if editors.scope else ""
    subtitle = (f"{plural(ov.records, 'record')} checked{scope}. Review dates as of {report.today.isoformat()}."
                f" medlint {report.tool_version}.")
    style, script = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src '{_csp_hash(style)}'; script-src '{_csp_hash(script)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    body = "".join([_overview(editors, ov), _queue(editors, anchors), _records(editors, listed), _rules(editors)])
    return string.Template(_asset("report.html")).substitute(
        csp=_e(csp), title=_e(f"medlint report, {report.today.isoformat()}"), subtitle=_e(subtitle),
        style=style, script=script, body=body)
