"""The editors' report as one self-contained HTML page: inline CSS, inline charts, an inline script, nothing
fetched. Record text is untrusted: every piece of it goes through `html_markup.e`, only http(s) URLs become
links, and a Content-Security-Policy that allows exactly the page's own script and stylesheet (by hash) stops
anything that slipped through from running.

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

import string
from collections.abc import Sequence
from html import escape

from ..history import DUE_SOON_DAYS, Week
from ..rules.base import Rule
from ..summary import QUEUE_WINDOWS, STATUS_LABELS, STATUSES, QueueRow, by_population, due_by_month
from .base import plural
from .charts import Bar, bar_chart, column_chart
from .editors import (
    EditorsReport,
    Overview,
    buckets,
    by_family,
    by_rule,
    entries,
    errors_by_family,
    limit_coverage,
    overview,
    reviewers_of,
    rules_fired,
    slugs,
    trend,
    when,
    workload,
)
from .html_markup import (
    SHORT_WINDOW,
    ChunkedList,
    asset,
    choice,
    count_cell,
    csp_hash,
    date,
    e,
    filters,
    panel,
    prose,
    search,
)
from .html_records import records

# how many items each list shows before "show all", how many per page after it, and per <noscript> chunk
QUEUE_FIRST, QUEUE_PAGE = 10, 50

REVIEWERS_FIRST, REVIEWERS_PAGE = 8, 50
COVERAGE_FIRST, COVERAGE_PAGE = 10, 50


def _card(number: int, caption: str, kind: str, href: str) -> str:
    return (f'<a class="card {kind if number else "ok"}" href="{href}"><span class="num">{number:,}</span>'
            f'<span class="cap">{e(caption)}</span></a>')


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
                   f'title="{e(STATUS_LABELS[status])}">{e(SHORT_WINDOW[status])}</th>' for status in STATUSES)

    def row(name: str, counts: dict[str, int]) -> str:
        slug = names[name]
        cells = "".join(f'<td class="n{" late" if status in ("overdue", "no-date") and counts[status] else ""}'
                        f'{" later" if status in later else ""}">'
                        + (f'<a href="#queue?reviewer={slug}&amp;status={status}">{counts[status]}</a>'
                           if counts[status] else "") + "</td>" for status in STATUSES)
        return (f'<tr id="reviewer-{slug}" data-item data-state="queue?reviewer={slug}"><th scope="row">'
                f'<a href="#reviewer-{slug}">{e(name)}</a></th>{cells}</tr>')

    listing = ChunkedList(REVIEWERS_FIRST, REVIEWERS_PAGE, "who", "wpage")
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
        f'<tr><th scope="row"><a href="#records?show=error&amp;family={e(item.family)}">{e(item.family)}</a></th>'
        f'<td class="n">{item.errors:,}</td><td class="n">{item.records:,}</td><td>'
        + ", ".join(f'<a href="#records?show=error&amp;find={rule.code}" title="{e(rule.name)}">{rule.code}</a>'
                    f"&nbsp;{count:,}"
                    for rule, count in item.rules[:4])
        + (", …" if len(item.rules) > 4 else "") + "</td></tr>" for item in families)
    return ('<p class="note">Errors are what could harm a patient or mislead a reader: fix these first.</p>'
            '<div class="scroll"><table class="compact"><thead><tr><th scope="col">Family</th>'
            '<th scope="col" class="n">Errors</th><th scope="col" class="n">Records</th><th scope="col">Rules</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div>")


def _work(editors: EditorsReport, queue: Sequence[QueueRow], ov: Overview, names: dict[str, str]) -> str:
    return ('<section id="work"><h2>This week</h2>'
            f'<p class="note">Reviews by when they fall due, as of {e(editors.report.today.isoformat())}, and the '
            "errors to fix.</p>" + _work_cards(queue, ov) + '<div class="grid">'
            + panel("Who has work waiting", _reviewers(queue, names))
            + panel("Errors to fix, by rule family", _errors_panel(editors)) + "</div></section>")


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
                else f'<span class="late">{e(record.due_as_written or "missing")}</span>')
    last = record.last_reviewed.isoformat() if record.last_reviewed else ""
    reviewers = "<br>".join(e(name) for name in record.reviewers) or '<span class="muted">none named</span>'
    tokens = " ".join(names[name] for name in reviewers_of(row))
    return (f'<tr data-item data-reviewers="{tokens}">'
            f'<td data-col="record"><a href="#{anchors[record.path]}">{e(record.title)}</a>'
            f'<div class="sub">{e(record.path)}</div></td>'
            f'<td data-col="due" data-sort="{"" if row.days is None else row.days}">{due_cell}'
            f"{_when(row)}</td>"
            f'<td data-col="last" data-sort="{e(last)}">{date(last)}</td>'
            f'<td data-col="reviewers">{reviewers}</td></tr>')


_QUEUE_HEAD = ('<thead><tr><th scope="col" data-sort-col="record" data-type="text">Record</th>'
               '<th scope="col" data-sort-col="due" data-type="number">Review due</th>'
               '<th scope="col" data-sort-col="last" data-type="text" data-col="last">Last reviewed</th>'
               '<th scope="col" data-sort-col="reviewers" data-type="text">Reviewers</th></tr></thead>')


def _queue_table(rows: str) -> str:
    return f'<table class="queue">{_QUEUE_HEAD}<tbody class="items">{rows}</tbody></table>'


def _queue(editors: EditorsReport, queue: Sequence[QueueRow], anchors: dict[str, str], names: dict[str, str]) -> str:
    intro = (f'<p class="note">Every record whose review is overdue or due within {QUEUE_WINDOWS[-1]} days of '
             f"{e(editors.report.today.isoformat())}, in the first bucket it fits, soonest first; records whose "
             "due date cannot be read come first, because nobody knows when they are due.</p>")
    if not queue:
        return (f'<section id="queue"><h2>Review queue</h2>{intro}<p class="empty">No review is overdue or due '
                f"within {QUEUE_WINDOWS[-1]} days.</p></section>")
    listing = ChunkedList(QUEUE_FIRST, QUEUE_PAGE, "status", "page", "sort")
    grouped = buckets(queue)
    people = sorted({name for row in queue for name in reviewers_of(row)}, key=str.lower)
    controls = filters(search("q", "Record, reviewer, date…"),
                       choice("reviewer", "Reviewer", [(names[name], name) for name in people], "reviewers",
                              "Anyone"),
                       choice("status", "Status", [(status, STATUS_LABELS[status]) for status, _ in grouped],
                              "group"))
    groups = "".join(listing.group(status, STATUS_LABELS[status], [_queue_row(row, anchors, names) for row in rows],
                                   _queue_table) for status, rows in grouped)
    return f'<section id="queue"{listing.attributes()}><h2>Review queue</h2>{intro}{controls}{groups}</section>'


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
    head = "".join(f'<th scope="col" class="n">{e(title)}</th>' for title, _ in columns)
    rows = "".join(f'<tr><th scope="row">{w.end.isoformat()}</th><td><code>{e(w.commit[:10]) or "none"}</code></td>'
                   + "".join(f'<td class="n">{getattr(w, field):,}</td>' for _, field in columns) + "</tr>"
                   for w in weeks)
    table = ('<div class="scroll"><table class="compact"><thead><tr><th scope="col">Week to</th>'
             f'<th scope="col">Commit</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>')
    legends = ('<p class="legend"><span class="key error"></span>errors <span class="key warning"></span>warnings</p>',
               '<p class="legend"><span class="key overdue"></span>overdue <span class="key due"></span>due within '
               f"{DUE_SOON_DAYS} days</p>")
    return (f'<section id="trend"><h2>Over time</h2><p class="note">{e(trend(weeks))}</p><div class="grid">'
            + panel("Errors and warnings", findings + legends[0])
            + panel("Reviews overdue and due soon", reviews + legends[1]) + f"</div>{table}</section>")


def _family_table(editors: EditorsReport, ov: Overview) -> str:
    rows = "".join(f'<tr><th scope="row">{e(family)}</th><td class="n">{count_cell(errors)}</td>'
                   f'<td class="n">{count_cell(warnings)}</td></tr>'
                   for family, errors, warnings in by_family(editors.report.active, editors.report.rules))
    notes = []
    if ov.suppressed:
        notes.append(f"{plural(ov.suppressed, 'finding')} suppressed inline")
    if ov.baselined:
        notes.append(f"{plural(ov.baselined, 'finding')} accepted by the baseline")
    if ov.files != ov.records:
        notes.append(f"{plural(ov.files - ov.records, 'file')} could not be read as a record")
    note = f'<p class="note">Not counted: {e("; ".join(notes))}.</p>' if notes else ""
    return ('<table class="compact"><thead><tr><th scope="col">Rule family</th><th scope="col" class="n">Errors</th>'
            f'<th scope="col" class="n">Warnings</th></tr></thead><tbody>{rows}</tbody>'
            f'<tfoot><tr><th scope="row">Total</th><td class="n">{ov.errors:,}</td><td class="n">{ov.warnings:,}</td>'
            f"</tr></tfoot></table>{note}")


def _coverage(editors: EditorsReport) -> str:
    """One row per drug, least covered first: at thousands of drugs a list that pages like the reviewers'."""
    none = '<span class="muted">none</span>'
    rows = [f'<tr data-item><th scope="row">{e(c.drug)}</th><td>{e(c.table) or none}</td>'
            f'<td class="n">{c.records:,}</td><td class="n">{c.covered:,} of {c.dose_entries:,}</td></tr>'
            for c in limit_coverage(editors.records)]
    listing = ChunkedList(COVERAGE_FIRST, COVERAGE_PAGE, "drugs", "dpage")
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
    panels = [panel("Findings by severity and rule family", _family_table(editors, ov)),
              panel("Records", f"<h4>By result</h4>{results}<h4>By population</h4>{populations}"),
              panel("Findings by rule", rule_chart + legend, wide=True),
              panel("Reviews falling due, month by month (overdue in red)", months, wide=True),
              panel("Dose limits by drug (dose entries the drug's limits table covers)", _coverage(editors),
                    wide=True)]
    return ('<section id="overview"><h2>Overview</h2><p class="note">'
            f"{ov.records:,} records: {ov.with_errors:,} with errors, {ov.with_warnings:,} with warnings only, "
            f"{ov.clean:,} without findings.</p><div class=\"grid\">{''.join(panels)}</div></section>")


def _rule(rule: Rule) -> str:
    docs = rule.docs
    # medlint's own docs, not record text: their line breaks are the example's layout
    examples = "".join(f'<div><h4>{title}</h4><pre>{escape(text.rstrip())}</pre></div>'
                       for title, text in (("Example", docs.example), ("Use instead", docs.use_instead)) if text)
    references = ("<p class=\"refs\"><b>References:</b> " + "; ".join(prose(ref) for ref in docs.references) + "</p>"
                  if docs.references else "")
    fix = " Fixable with <code>medlint fix</code>." if rule.fixable else ""
    return (f'<section class="rule" id="rule-{e(rule.code)}"><h3>{e(rule.code)} {e(rule.name)}</h3>'
            f'<p class="lead">{prose(rule.summary)} <span class="muted">Family: {e(rule.family)}; default severity: '
            f"{e(rule.severity.value)}.{fix}</span></p>"
            f"<p><b>What it does.</b> {prose(docs.what)}</p><p><b>Why it matters.</b> {prose(docs.why)}</p>"
            f'<div class="examples">{examples}</div>{references}</section>')


def _rules(editors: EditorsReport) -> str:
    fired = rules_fired(editors.report.active, editors.report.rules)
    body = "".join(_rule(rule) for rule in fired) or '<p class="empty">No rule found anything.</p>'
    return ('<section id="rules"><h2>Rules in this report</h2><p class="note">The docs of every rule that found '
            f"something (<code>medlint explain CODE</code> prints the same).</p>{body}</section>")


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
    style, script = asset("report.css"), asset("report.js")
    csp = (f"default-src 'none'; style-src '{csp_hash(style)}'; script-src '{csp_hash(script)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    sections = [("work", "This week", _work(editors, queue, ov, names)),
                ("queue", "Review queue", _queue(editors, queue, anchors, names)),
                ("trend", "Over time", _trend(editors)),
                ("overview", "Overview", _overview(editors, ov)),
                ("records", "Records", records(editors, listed)),
                ("rules", "Rules", _rules(editors))]
    nav = "".join(f'<a href="#{ident}">{e(title)}</a>' for ident, title, body in sections if body)
    return string.Template(asset("report.html")).substitute(
        csp=e(csp), title=e(f"medlint report, {report.today.isoformat()}"), subtitle=e(subtitle), nav=nav,
        style=style, script=script, body="".join(body for _, _, body in sections))
