"""The records section of the editors' page (`medlint.report.html`): a card per record with findings, its
facts and findings, and a table of the records without findings."""
from __future__ import annotations

from collections.abc import Sequence

from ..model import Finding, Severity
from ..summary import RecordSummary
from .base import plural
from .editors import EditorsReport, RecordEntry, file_link, safe_url
from .html_markup import ChunkedList, badge, choice, date, e, filters, finding_text, link, search

RECORDS_FIRST, RECORDS_PAGE = 10, 25


def _finding(editors: EditorsReport, finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}"
    shown = f"line {finding.line}, col {finding.column}"
    hint = f'<div class="hint">{finding_text(finding.hint)}</div>' if finding.hint else ""
    fixable = ' <span class="tag">fixable</span>' if finding.fix is not None and finding.fix.safe else ""
    return (f'<li class="{finding.severity.value}">{badge(finding.severity.value, finding.severity.value)} '
            f'<a href="#rule-{e(finding.code)}" title="{e(finding.name)}">{e(finding.code)}</a> '
            f'<span class="sub">{e(finding.name)}</span> '
            f'<span title="{e(where)}">{link(file_link(editors, finding.path, finding.line), shown, "loc")}</span>'
            f'<div class="msg">{finding_text(finding.message)}{fixable}</div>{hint}</li>')


def _sources(summary: RecordSummary) -> str:
    items = "".join(f"<li>{link(safe_url(source.url), e(source.title))}"
                    + (f' <span class="url">{e(source.url)}</span>' if source.url else "") + "</li>"
                    for source in summary.sources)
    return f"<ul class=\"sources\">{items}</ul>" if items else '<span class="muted">none</span>'


def _facts(editors: EditorsReport, entry: RecordEntry) -> str:
    summary = entry.summary
    rows = [("File", link(file_link(editors, entry.path, 1), e(entry.path), "loc"))]
    if summary is not None:
        drug = " / ".join(e(name) for name in (summary.brand_name, summary.generic_name) if name)
        rows += [("Id", e(summary.id or "none")), ("Drug", drug or '<span class="muted">not stated</span>'),
                 ("Population", e(summary.population)), ("Last reviewed", date(summary.last_reviewed)),
                 ("Review due", date(summary.next_review_due or summary.due_as_written)),
                 ("Reviewers", e(", ".join(summary.reviewers)) or '<span class="muted">none named</span>'),
                 ("Sources", _sources(summary))]
    return '<dl class="facts">' + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows) + "</dl>"


def _severity_badges(findings: Sequence[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    return (badge("error", plural(errors, "error")) if errors else "") + (
        badge("warning", plural(warnings, "warning")) if warnings else "")


def _record_card(editors: EditorsReport, entry: RecordEntry, anchor: str) -> str:
    """Collapsed: a line with the record, its counts and its file; opened, its facts and findings."""
    worst = entry.worst.value if entry.worst else "clean"
    families = " ".join(sorted({editors.report.rules.by_code[f.code].family for f in entry.findings}))
    return (f'<details class="record {worst}" id="{anchor}" data-item data-families="{families}">'
            f'<summary><span class="title">{e(entry.title)}</span> {_severity_badges(entry.findings)}'
            f'<span class="sub">{e(entry.path)}</span></summary>'
            + _facts(editors, entry)
            + f'<ul class="findings">{"".join(_finding(editors, f) for f in entry.findings)}</ul></details>')


def _clean_row(entry: RecordEntry, anchor: str) -> str:
    summary = entry.summary
    return (f'<tr id="{anchor}" data-item><td>{e(entry.title)}<div class="sub">{e(entry.path)}</div></td>'
            f"<td data-col=\"population\">{e(summary.population) if summary else ''}</td>"
            f"<td data-col=\"last\">{date(summary.last_reviewed if summary else None)}</td>"
            f"<td>{date(summary.next_review_due if summary else None)}</td>"
            f"<td>{e(', '.join(summary.reviewers)) if summary else ''}</td></tr>")


def _clean_table(rows: str) -> str:
    return ('<div class="scroll"><table class="compact clean"><thead><tr><th scope="col">Record</th>'
            '<th scope="col" data-col="population">Population</th><th scope="col" data-col="last">Last reviewed</th>'
            '<th scope="col">Review due</th><th scope="col">Reviewers</th></tr></thead>'
            f'<tbody class="items">{rows}</tbody></table></div>')


def _cards(items: str) -> str:
    return f'<div class="items">{items}</div>'


_GROUPS = (("error", "With errors"), ("warning", "With warnings only"), ("clean", "Without findings"))


def records(editors: EditorsReport, listed: Sequence[tuple[RecordEntry, str]]) -> str:
    listing = ChunkedList(RECORDS_FIRST, RECORDS_PAGE, "show", "rpage")
    grouped: dict[str, list[str]] = {name: [] for name, _ in _GROUPS}
    for entry, anchor in listed:
        worst = entry.worst.value if entry.worst else "clean"
        grouped[worst].append(_clean_row(entry, anchor) if worst == "clean" else _record_card(editors, entry, anchor))
    present = [(name, heading) for name, heading in _GROUPS if grouped[name]]
    registry = editors.report.rules
    fired = {registry.by_code[f.code].family for f in editors.report.active}
    families = [(family, family) for family in registry.families if family in fired]
    controls = filters(search("find", "Record, rule, message…"), choice("show", "Show", present, "group"),
                       choice("family", "Rule family", families, "families", "Any")) if listed else ""
    groups = "".join(listing.group(name, heading, grouped[name], _clean_table if name == "clean" else _cards,
                                   "records") for name, heading in present)
    if not any(entry.findings for entry, _ in listed):
        groups = '<p class="empty">No record has findings.</p>' + groups
    return (f'<section id="records"{listing.attributes()}><h2>Records</h2><p class="note">Worst first. Open a '
            "record to see its facts and findings; each finding links to the file and line that hold it, and its "
            f"rule to the rule's docs.</p>{controls}{groups}</section>")
