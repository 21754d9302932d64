"""The editors' report as one self-contained HTML page: inline CSS, inline charts, an inline script, nothing
fetched. Record text is untrusted: every piece of it goes through `_e`, only http(s) URLs become links, and
a Content-Security-Policy that allows exactly the page's own script and stylesheet (by hash) stops anything
that slipped through from running.

Work first: the page opens on what is due (the review queue in buckets, who has work waiting, the errors by
rule family); the trend, the charts, the records and the rule docs follow.

At the size of a real site (10,000 records) the page stays small to lay out: each list (a queue bucket, the
records with errors, ...) puts its first items in the page and the rest in <noscript> chunks. A browser that
runs scripts keeps a <noscript> as one text node, nothing to lay out, and report.js turns a chunk into
elements only when a page of the list, a filter or a link needs it; a browser that does not run scripts
shows the chunks as folded <details>, so without JavaScript everything is there, in a page of readable
height. Either way the markup is this module's, escaped once: report.js parses it inertly and never builds
markup from text.
"""
from __future__ import annotations

import base64
import hashlib
import re
import string
from collections.abc import Callable, Iterable, Sequence
from html import escape
from importlib import resources

from ..escaping import visible
from ..history import DUE_SOON_DAYS, Week
from ..model import Finding, Severity
from ..rules.base import Rule
from ..summary import QUEUE_WINDOWS, STATUS_LABELS, STATUSES, QueueRow, RecordSummary, by_population, due_by_month
from .base import plural
from .charts import Bar, bar_chart, column_chart
from .editors import (
    EditorsReport,
    Entry,
    Glyph,
    Overview,
    buckets,
    by_family,
    by_rule,
    entries,
    errors_by_family,
    file_link,
    glyphs,
    limit_coverage,
    overview,
    reviewers_of,
    rules_fired,
    safe_url,
    slugs,
    trend,
    when,
    workload,
)

# how many items each list shows before "show all", how many per page after it, and per <noscript> chunk
QUEUE_FIRST, QUEUE_PAGE = 10, 50
RECORDS_FIRST, RECORDS_PAGE = 10, 25
REVIEWERS_FIRST, REVIEWERS_PAGE = 8, 50
COVERAGE_FIRST, COVERAGE_PAGE = 10, 50
CHUNK = 100
_BACKTICKS = re.compile(r"`([^`]+)`")
_SHORT = {"no-date": "No date", "overdue": "Overdue", **{f"due-{days}": f"≤ {days} d" for days in QUEUE_WINDOWS}}


def _e(text: object) -> str:
    return escape(visible(str(text)), quote=True)


def _code_spans(markup: str) -> str:
    """`code spans` shown as code (safe on escaped text: it holds no markup of the record's)."""
    return _BACKTICKS.sub(r"<code>\1</code>", markup)


def _prose(text: str) -> str:
    return _code_spans(_e(text))


def _glyph(glyph: Glyph) -> str:
    shown = "" if glyph.invisible else f'<span class="glyph">{_e(glyph.char)}</span>'
    return f'<span class="cp" title="{_e(glyph.code)} {_e(glyph.name)}">{shown}<small>{glyph.code}</small></span>'


def _finding_text(text: str) -> str:
    """A finding's message or hint: characters a font may lack, or that cannot be seen, with their code points."""
    return _code_spans("".join(_glyph(part) if isinstance(part, Glyph) else _e(part) for part in glyphs(text)))


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


def _count(number: int) -> str:
    return str(number) if number else '<span class="muted">0</span>'


def _panel(title: str, body: str, wide: bool = False) -> str:
    return f'<figure class="panel{" wide" if wide else ""}"><figcaption>{_e(title)}</figcaption>{body}</figure>'


# --- lists that stay small at any size ------------------------------------------------------------------------

class _List:
    """A list of the page (a section, or a panel) that report.js pages, filters and links to: its groups
    show their first items, the rest waits in <noscript> chunks. `group_key` and `page_key` name the
    URL-fragment parameters that open one group and turn its pages."""

    def __init__(self, first: int, size: int, group_key: str, page_key: str, sort_key: str = "") -> None:
        self.first, self.size, self.group_key, self.page_key, self.sort_key = first, size, group_key, page_key, sort_key

    def attributes(self) -> str:
        sort = f' data-sort-key="{self.sort_key}"' if self.sort_key else ""
        return (f' data-list data-first="{self.first}" data-size="{self.size}" data-group-key="{self.group_key}"'
                f' data-page-key="{self.page_key}"{sort}')

    def group(self, name: str, heading: str, items: Sequence[str], frame: Callable[[str], str],
              noun: str = "rows") -> str:
        """One group: `frame` wraps items in their container (a table, a <div>), marked `items` for the
        script. Without scripts, each chunk is a folded <details> after the first items."""
        first, rest = items[: self.first], items[self.first:]
        chunks = []
        for start in range(0, len(rest), CHUNK):
            part = rest[start: start + CHUNK]
            low, high = self.first + start + 1, self.first + start + len(part)
            which = f"{noun} {low:,}–{high:,}" if high > low else f"{noun[:-1]} {low:,}"
            chunks.append(f'<noscript data-chunk><details class="more"><summary>{_e(which.capitalize())} of '
                          f"{len(items):,}</summary>{frame(''.join(part))}</details></noscript>")
        tally = f' <span class="tally">{len(items):,}</span>' if heading else ""
        title = f"<h3>{_e(heading)}{tally}</h3>" if heading else ""
        return (f'<section class="group" data-group="{_e(name)}" data-total="{len(items)}">{title}'
                f"{frame(''.join(first))}{''.join(chunks)}</section>")


def _controls(*fields: str) -> str:
    """Filters need the script: without it they are not shown at all."""
    return f'<div class="controls js-only">{"".join(fields)}<span class="count" aria-live="polite"></span></div>'


def _search(key: str, placeholder: str) -> str:
    return (f'<label>Filter <input type="search" data-key="{key}" data-match="text" placeholder="{_e(placeholder)}" '
            'autocomplete="off"></label>')


def _choice(key: str, label: str, options: Iterable[tuple[str, str]], match: str, anyone: str = "All") -> str:
    choices = "".join(f'<option value="{_e(value)}">{_e(text)}</option>' for value, text in options)
    return (f'<label>{_e(label)} <select data-key="{key}" data-match="{match}"><option value="">{_e(anyone)}</option>'
            f"{choices}</select></label>")


# --- this week: what is due, and whose it is ------------------------------------------------------------------

def _card(number: int, caption: str, kind: str, href: str) -> str:
    return (f'<a class="card {kind if number else "ok"}" href="{href}"><span class="num">{number:,}</span>'
            f'<span class="cap">{_e(caption)}</span></a>')


def _work_cards(queue: Sequence[QueueRow], ov: Overview) -> str:
    counts = {status: sum(1 for row in queue if row.status == status) for status in STATUSES}
    kinds = {"no-date": "error", "overdue": "error", "due-7": "error", "due-30": "warning"}
    cards = [_card(counts[status], STATUS_LABELS[status].lower().replace("overdue", "reviews overdue"),
                   kinds.get(status, "info"), f"#queue?status={status}")
             for status in ("overdue", *(f"due-{days}" for days in QUEUE_WINDOWS), "no-date")]
    cards.append(_card(ov.with_errors, "records with errors", "error", "#records?show=error"))
    return '<div class="cards">' + "".join(cards) + "</div>"


def _reviewers(queue: Sequence[QueueRow], names: dict[str, str]) -> str:
    people = workload(queue)
    if not people:
        return '<p class="empty">Nobody has a review due.</p>'
    later = {f"due-{days}" for days in QUEUE_WINDOWS[-2:]}  # columns a phone leaves out
    head = "".join(f'<th scope="col" class="n{" later" if status in later else ""}" '
                   f'title="{_e(STATUS_LABELS[status])}">{_e(_SHORT[status])}</th>' for status in STATUSES)

    def row(name: str, counts: dict[str, int]) -> str:
        slug = names[name]
        cells = "".join(f'<td class="n{" late" if status in ("overdue", "no-date") and counts[status] else ""}'
                        f'{" later" if status in later else ""}">'
                        + (f'<a href="#queue?reviewer={slug}&amp;status={status}">{counts[status]}</a>'
                           if counts[status] else "") + "</td>" for status in STATUSES)
        return (f'<tr id="reviewer-{slug}" data-item data-state="queue?reviewer={slug}"><th scope="row">'
                f'<a href="#reviewer-{slug}">{_e(name)}</a></th>{cells}</tr>')

    listing = _List(REVIEWERS_FIRST, REVIEWERS_PAGE, "who", "wpage")
    table = ('<div class="scroll"><table class="compact workload"><thead><tr><th scope="col">Reviewer</th>'
             f'{head}</tr></thead><tbody class="items">{{}}</tbody></table></div>')
    body = listing.group("all", "", [row(name, counts) for name, counts in people], table.format, "reviewers")
    return (f'<div id="reviewers"{listing.attributes()}><p class="note">Records in the review queue, by the '
            f"reviewers who reviewed them last. A name opens their records in due order.</p>{body}</div>")


def _errors_panel(editors: EditorsReport) -> str:
    families = errors_by_family(editors.report.active, editors.report.rules)
    if not families:
        return '<p class="empty">No errors.</p>'
    rows = "".join(
        f'<tr><th scope="row"><a href="#records?show=error&amp;family={_e(item.family)}">{_e(item.family)}</a></th>'
        f'<td class="n">{item.errors:,}</td><td class="n">{item.records:,}</td><td>'
        + ", ".join(f'<a href="#records?show=error&amp;find={rule.code}" title="{_e(rule.name)}">{rule.code}</a>'
                    f"&nbsp;{count:,}"
                    for rule, count in item.rules[:4])
        + (", …" if len(item.rules) > 4 else "") + "</td></tr>" for item in families)
    return ('<p class="note">Errors are what could harm a patient or mislead a reader: fix these first.</p>'
            '<div class="scroll"><table class="compact"><thead><tr><th scope="col">Family</th>'
            '<th scope="col" class="n">Errors</th><th scope="col" class="n">Records</th><th scope="col">Rules</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div>")


def _work(editors: EditorsReport, queue: Sequence[QueueRow], ov: Overview, names: dict[str, str]) -> str:
    return ('<section id="work"><h2>This week</h2>'
            f'<p class="note">Reviews by when they fall due, as of {_e(editors.report.today.isoformat())}, and the '
            "errors to fix.</p>" + _work_cards(queue, ov) + '<div class="grid">'
            + _panel("Who has work waiting", _reviewers(queue, names))
            + _panel("Errors to fix, by rule family", _errors_panel(editors)) + "</div></section>")


# --- the review queue -------------------------------------------------------------------------------------------

def _when(row: QueueRow) -> str:
    """Under the due date; a row without one shows what is written instead (in red) and needs no more."""
    if row.days is None:
        return ""
    text = f'<span class="late">{when(row)}</span>' if row.days < 0 else when(row)
    return f'<div class="sub">{text}</div>'


def _queue_row(row: QueueRow, anchors: dict[str, str], names: dict[str, str]) -> str:
    record = row.record
    due = record.next_review_due.isoformat() if record.next_review_due else ""
    due_cell = (f'<span class="date">{due}</span>' if due
                else f'<span class="late">{_e(record.due_as_written or "missing")}</span>')
    last = record.last_reviewed.isoformat() if record.last_reviewed else ""
    reviewers = "<br>".join(_e(name) for name in record.reviewers) or '<span class="muted">none named</span>'
    tokens = " ".join(names[name] for name in reviewers_of(row))
    return (f'<tr data-item data-reviewers="{tokens}">'
            f'<td data-col="record"><a href="#{anchors[record.path]}">{_e(record.title)}</a>'
            f'<div class="sub">{_e(record.path)}</div></td>'
            f'<td data-col="due" data-sort="{"" if row.days is None else row.days}">{due_cell}'
            f"{_when(row)}</td>"
            f'<td data-col="last" data-sort="{_e(last)}">{_date(last)}</td>'
            f'<td data-col="reviewers">{reviewers}</td></tr>')


_QUEUE_HEAD = ('<thead><tr><th scope="col" data-sort-col="record" data-type="text">Record</th>'
               '<th scope="col" data-sort-col="due" data-type="number">Review due</th>'
               '<th scope="col" data-sort-col="last" data-type="text" data-col="last">Last reviewed</th>'
               '<th scope="col" data-sort-col="reviewers" data-type="text">Reviewers</th></tr></thead>')


def _queue_table(rows: str) -> str:
    return f'<table class="queue">{_QUEUE_HEAD}<tbody class="items">{rows}</tbody></table>'


def _queue(editors: EditorsReport, queue: Sequence[QueueRow], anchors: dict[str, str], names: dict[str, str]) -> str:
    intro = (f'<p class="note">Every record whose review is overdue or due within {QUEUE_WINDOWS[-1]} days of '
             f"{_e(editors.report.today.isoformat())}, in the first bucket it fits, soonest first; records whose "
             "due date cannot be read come first, because nobody knows when they are due.</p>")
    if not queue:
        return (f'<section id="queue"><h2>Review queue</h2>{intro}<p class="empty">No review is overdue or due '
                f"within {QUEUE_WINDOWS[-1]} days.</p></section>")
    listing = _List(QUEUE_FIRST, QUEUE_PAGE, "status", "page", "sort")
    grouped = buckets(queue)
    people = sorted({name for row in queue for name in reviewers_of(row)}, key=str.lower)
    controls = _controls(_search("q", "Record, reviewer, date…"),
                         _choice("reviewer", "Reviewer", [(names[name], name) for name in people], "reviewers",
                                 "Anyone"),
                         _choice("status", "Status", [(status, STATUS_LABELS[status]) for status, _ in grouped],
                                 "group"))
    groups = "".join(listing.group(status, STATUS_LABELS[status], [_queue_row(row, anchors, names) for row in rows],
                                   _queue_table) for status, rows in grouped)
    return f'<section id="queue"{listing.attributes()}><h2>Review queue</h2>{intro}{controls}{groups}</section>'


# --- over time --------------------------------------------------------------------------------------------------

def _week_label(week: Week) -> str:
    return week.end.strftime("%d %b").lstrip("0")


def _trend(editors: EditorsReport) -> str:
    weeks = editors.history
    if not weeks:
        return ""
    findings = column_chart([Bar(_week_label(w), ((w.errors, "error"), (w.warnings, "warning"))) for w in weeks],
                            "Errors and warnings, week by week")
    reviews = column_chart([Bar(_week_label(w), ((w.overdue, "overdue"), (w.due_soon, "due"))) for w in weeks],
                           f"Reviews overdue and due within {DUE_SOON_DAYS} days, week by week")
    columns = (("Records", "records"), ("Errors", "errors"), ("Warnings", "warnings"),
               ("Records with errors", "with_errors"), ("Overdue", "overdue"), (f"Due ≤ {DUE_SOON_DAYS} d", "due_soon"))
    head = "".join(f'<th scope="col" class="n">{_e(title)}</th>' for title, _ in columns)
    rows = "".join(f'<tr><th scope="row">{w.end.isoformat()}</th><td><code>{_e(w.commit[:10]) or "none"}</code></td>'
                   + "".join(f'<td class="n">{getattr(w, field):,}</td>' for _, field in columns) + "</tr>"
                   for w in weeks)
    table = ('<div class="scroll"><table class="compact"><thead><tr><th scope="col">Week to</th>'
             f'<th scope="col">Commit</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>')
    legends = ('<p class="legend"><span class="key error"></span>errors <span class="key warning"></span>warnings</p>',
               '<p class="legend"><span class="key overdue"></span>overdue <span class="key due"></span>due within '
               f"{DUE_SOON_DAYS} days</p>")
    return (f'<section id="trend"><h2>Over time</h2><p class="note">{_e(trend(weeks))}</p><div class="grid">'
            + _panel("Errors and warnings", findings + legends[0])
            + _panel("Reviews overdue and due soon", reviews + legends[1]) + f"</div>{table}</section>")


# --- overview ---------------------------------------------------------------------------------------------------

def _family_table(editors: EditorsReport, ov: Overview) -> str:
    rows = "".join(f'<tr><th scope="row">{_e(family)}</th><td class="n">{_count(errors)}</td>'
                   f'<td class="n">{_count(warnings)}</td></tr>'
                   for family, errors, warnings in by_family(editors.report.active, editors.report.rules))
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
            f'<tfoot><tr><th scope="row">Total</th><td class="n">{ov.errors:,}</td><td class="n">{ov.warnings:,}</td>'
            f"</tr></tfoot></table>{note}")


def _coverage(editors: EditorsReport) -> str:
    """One row per drug, least covered first: at thousands of drugs a list that pages like the reviewers'."""
    none = '<span class="muted">none</span>'
    rows = [f'<tr data-item><th scope="row">{_e(c.drug)}</th><td>{_e(c.table) or none}</td>'
            f'<td class="n">{c.records:,}</td><td class="n">{c.covered:,} of {c.dose_entries:,}</td></tr>'
            for c in limit_coverage(editors.records)]
    listing = _List(COVERAGE_FIRST, COVERAGE_PAGE, "drugs", "dpage")
    table = ('<div class="scroll"><table class="compact"><thead><tr><th scope="col">Drug</th><th scope="col">Table'
             '</th><th scope="col" class="n">Records</th><th scope="col" class="n">Dose entries covered</th></tr>'
             '</thead><tbody class="items">{}</tbody></table></div>')
    return f'<div id="limits"{listing.attributes()}>{listing.group("all", "", rows, table.format, "drugs")}</div>'


def _overview(editors: EditorsReport, ov: Overview) -> str:
    counts = by_rule(editors.report.active, editors.report.rules)
    rule_chart = (bar_chart([Bar(f"{c.rule.code} {c.rule.name}", ((c.errors, "error"), (c.warnings, "warning")),
                                 f"#rule-{c.rule.code}") for c in counts], "Findings by rule")
                  if counts else '<p class="empty">No findings.</p>')
    legend = ('<p class="legend"><span class="key error"></span>error <span class="key warning"></span>warning</p>'
              if counts else "")
    months = column_chart([Bar(b.label, ((b.total, "overdue" if b.overdue else "due"),))
                           for b in due_by_month(editors.records, editors.report.today)],
                          "Reviews falling due by month")
    results = bar_chart([Bar("with errors", ((ov.with_errors, "error"),), "#records?show=error"),
                         Bar("warnings only", ((ov.with_warnings, "warning"),), "#records?show=warning"),
                         Bar("no findings", ((ov.clean, "ok"),), "#records?show=clean")], "Records by result")
    populations = bar_chart([Bar(b.label, ((b.total, "population"),)) for b in by_population(editors.records)],
                            "Records by population")
    panels = [_panel("Findings by severity and rule family", _family_table(editors, ov)),
              _panel("Records", f"<h4>By result</h4>{results}<h4>By population</h4>{populations}"),
              _panel("Findings by rule", rule_chart + legend, wide=True),
              _panel("Reviews falling due, month by month (overdue in red)", months, wide=True),
              _panel("Dose limits by drug (dose entries the drug's limits table covers)", _coverage(editors),
                     wide=True)]
    return ('<section id="overview"><h2>Overview</h2><p class="note">'
            f"{ov.records:,} records: {ov.with_errors:,} with errors, {ov.with_warnings:,} with warnings only, "
            f"{ov.clean:,} without findings.</p><div class=\"grid\">{''.join(panels)}</div></section>")


# --- records ----------------------------------------------------------------------------------------------------

def _finding(editors: EditorsReport, finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}"
    shown = f"line {finding.line}, col {finding.column}"
    hint = f'<div class="hint">{_finding_text(finding.hint)}</div>' if finding.hint else ""
    fixable = ' <span class="tag">fixable</span>' if finding.fix is not None and finding.fix.safe else ""
    return (f'<li class="{finding.severity.value}">{_badge(finding.severity.value, finding.severity.value)} '
            f'<a href="#rule-{_e(finding.code)}" title="{_e(finding.name)}">{_e(finding.code)}</a> '
            f'<span class="sub">{_e(finding.name)}</span> '
            f'<span title="{_e(where)}">{_link(file_link(editors, finding.path, finding.line), shown, "loc")}</span>'
            f'<div class="msg">{_finding_text(finding.message)}{fixable}</div>{hint}</li>')


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
    """Collapsed: a line with the record, its counts and its file; opened, its facts and findings."""
    worst = entry.worst.value if entry.worst else "clean"
    families = " ".join(sorted({editors.report.rules.by_code[f.code].family for f in entry.findings}))
    return (f'<details class="record {worst}" id="{anchor}" data-item data-families="{families}">'
            f'<summary><span class="title">{_e(entry.title)}</span> {_severity_badges(entry.findings)}'
            f'<span class="sub">{_e(entry.path)}</span></summary>'
            + _facts(editors, entry)
            + f'<ul class="findings">{"".join(_finding(editors, f) for f in entry.findings)}</ul></details>')


def _clean_row(entry: Entry, anchor: str) -> str:
    summary = entry.summary
    return (f'<tr id="{anchor}" data-item><td>{_e(entry.title)}<div class="sub">{_e(entry.path)}</div></td>'
            f"<td data-col=\"population\">{_e(summary.population) if summary else ''}</td>"
            f"<td data-col=\"last\">{_date(summary.last_reviewed if summary else None)}</td>"
            f"<td>{_date(summary.next_review_due if summary else None)}</td>"
            f"<td>{_e(', '.join(summary.reviewers)) if summary else ''}</td></tr>")


def _clean_table(rows: str) -> str:
    return ('<div class="scroll"><table class="compact clean"><thead><tr><th scope="col">Record</th>'
            '<th scope="col" data-col="population">Population</th><th scope="col" data-col="last">Last reviewed</th>'
            '<th scope="col">Review due</th><th scope="col">Reviewers</th></tr></thead>'
            f'<tbody class="items">{rows}</tbody></table></div>')


def _cards(items: str) -> str:
    return f'<div class="items">{items}</div>'


_GROUPS = (("error", "With errors"), ("warning", "With warnings only"), ("clean", "Without findings"))


def _records(editors: EditorsReport, listed: Sequence[tuple[Entry, str]]) -> str:
    listing = _List(RECORDS_FIRST, RECORDS_PAGE, "show", "rpage")
    grouped: dict[str, list[str]] = {name: [] for name, _ in _GROUPS}
    for entry, anchor in listed:
        worst = entry.worst.value if entry.worst else "clean"
        grouped[worst].append(_clean_row(entry, anchor) if worst == "clean" else _record_card(editors, entry, anchor))
    present = [(name, heading) for name, heading in _GROUPS if grouped[name]]
    registry = editors.report.rules
    fired = {registry.by_code[f.code].family for f in editors.report.active}
    families = [(family, family) for family in registry.families if family in fired]
    controls = _controls(_search("find", "Record, rule, message…"), _choice("show", "Show", present, "group"),
                         _choice("family", "Rule family", families, "families", "Any")) if listed else ""
    groups = "".join(listing.group(name, heading, grouped[name], _clean_table if name == "clean" else _cards,
                                   "records") for name, heading in present)
    if not any(entry.findings for entry, _ in listed):
        groups = '<p class="empty">No record has findings.</p>' + groups
    return (f'<section id="records"{listing.attributes()}><h2>Records</h2><p class="note">Worst first. Open a '
            "record to see its facts and findings; each finding links to the file and line that hold it, and its "
            f"rule to the rule's docs.</p>{controls}{groups}</section>")


# --- rule docs --------------------------------------------------------------------------------------------------

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
    fired = rules_fired(editors.report.active, editors.report.rules)
    body = "".join(_rule(rule) for rule in fired) or '<p class="empty">No rule found anything.</p>'
    return ('<section id="rules"><h2>Rules in this report</h2><p class="note">The docs of every rule that found '
            f"something (<code>medlint explain CODE</code> prints the same).</p>{body}</section>")


# --- the page ---------------------------------------------------------------------------------------------------

def render(editors: EditorsReport) -> str:
    report = editors.report
    ov = overview(editors)
    queue = editors.queue
    listed = [(entry, f"rec-{index}") for index, entry in enumerate(entries(editors), 1)]
    anchors = {entry.path: anchor for entry, anchor in listed}
    names = slugs(name for row in queue for name in reviewers_of(row))
    scope = f" of {editors.scope}" if editors.scope else ""
    subtitle = (f"{plural(ov.records, 'record')} checked{scope}. Review dates as of {report.today.isoformat()}."
                f" medlint {report.tool_version}.")
    style, script = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src '{_csp_hash(style)}'; script-src '{_csp_hash(script)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    sections = [("work", "This week", _work(editors, queue, ov, names)),
                ("queue", "Review queue", _queue(editors, queue, anchors, names)),
                ("trend", "Over time", _trend(editors)),
                ("overview", "Overview", _overview(editors, ov)),
                ("records", "Records", _records(editors, listed)),
                ("rules", "Rules", _rules(editors))]
    nav = "".join(f'<a href="#{ident}">{_e(title)}</a>' for ident, title, body in sections if body)
    return string.Template(_asset("report.html")).substitute(
        csp=_e(csp), title=_e(f"medlint report, {report.today.isoformat()}"), subtitle=_e(subtitle), nav=nav,
        style=style, script=script, body="".join(body for _, _, body in sections))
