"""What `medlint report` shows, whatever the format: the run's findings plus the corpus summary, and the
views of them that the HTML, Markdown and CSV renderers share (so the three never disagree)."""
from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import quote, urlsplit

from ..escaping import hidden
from ..history import DUE_SOON_DAYS, Week
from ..model import Finding, Severity
from ..rules.base import Rule
from ..rules.registry import Registry
from ..summary import STATUSES, QueueRow, RecordSummary, review_queue
from .base import Report, plural, severity_rank

SAFE_SCHEMES = frozenset({"http", "https"})  # the only URLs from record text that become links
NO_REVIEWER = "(no reviewer)"


class EditorsReport(NamedTuple):
    report: Report  # findings (suppressed ones included), today, baseline, link template, tool version
    records: Sequence[RecordSummary]  # in path order
    scope: str = ""  # what was checked, as the user named it ("records, tests/fixtures/seed")
    history: Sequence[Week] = ()  # `--history`: the last weeks, oldest first

    @property
    def queue(self) -> list[QueueRow]:
        return review_queue(self.records, self.report.today)


class Overview(NamedTuple):
    records: int
    files: int
    with_errors: int
    with_warnings: int  # warnings but no errors
    clean: int
    errors: int
    warnings: int
    suppressed: int
    baselined: int
    overdue: int
    due_soon: int  # due within the largest queue window


class RuleCount(NamedTuple):
    rule: Rule
    errors: int
    warnings: int

    @property
    def total(self) -> int:
        return self.errors + self.warnings


class RecordEntry(NamedTuple):
    """One file in the per-record view: its summary (None when it did not load) and its active findings."""

    path: str
    summary: RecordSummary | None
    findings: tuple[Finding, ...]

    @property
    def title(self) -> str:
        return self.summary.title if self.summary else self.path

    @property
    def worst(self) -> Severity | None:
        return min((f.severity for f in self.findings), key=severity_rank, default=None)


def overview(editors: EditorsReport) -> Overview:
    report = editors.report
    counts = report.counts()
    worst: dict[str, Severity] = {}
    for finding in report.active:
        if worst.get(finding.path) is not Severity.ERROR:
            worst[finding.path] = finding.severity
    with_errors = sum(1 for severity in worst.values() if severity is Severity.ERROR)
    queue = editors.queue
    overdue = sum(1 for row in queue if row.status == "overdue")
    return Overview(
        records=report.records, files=report.files, with_errors=with_errors,
        with_warnings=len(worst) - with_errors, clean=max(0, report.files - len(worst)),
        errors=counts["error"], warnings=counts["warning"], suppressed=counts["suppressed"],
        baselined=counts["baselined"], overdue=overdue,
        due_soon=sum(1 for row in queue if row.status.startswith("due-")))


class Coverage(NamedTuple):
    """How much of one drug's dosing its dose-limit table covers."""

    drug: str
    records: int
    dose_entries: int
    covered: int
    table: str  # "" when the drug has no usable table


def limit_coverage(records: Sequence[RecordSummary]) -> list[Coverage]:
    """Per drug, least covered first: the drugs whose doses nothing checks come to the top."""
    grouped: dict[str, list[RecordSummary]] = defaultdict(list)
    for record in records:
        grouped[record.drug or "(no drug folder)"].append(record)
    out = [Coverage(drug, len(items), sum(r.dose_entries for r in items), sum(r.limited_entries for r in items),
                    next((r.limits_table for r in items if r.limits_table), "")) for drug, items in grouped.items()]
    return sorted(out, key=lambda c: (c.covered / c.dose_entries if c.dose_entries else 1.0, c.drug))


def _split(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors


def by_rule(findings: Sequence[Finding], registry: Registry) -> list[RuleCount]:
    """Active findings per rule, most frequent first."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.code].append(finding)
    counts = [RuleCount(registry.by_code[code], *_split(found)) for code, found in grouped.items()]
    return sorted(counts, key=lambda item: (-item.total, item.rule.code))


def by_family(findings: Sequence[Finding], registry: Registry) -> list[tuple[str, int, int]]:
    """(family, errors, warnings) for every family, in registry order, so an empty family shows as 0."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[registry.by_code[finding.code].family].append(finding)
    return [(family, *_split(grouped[family])) for family in registry.families]


def entries(editors: EditorsReport) -> list[RecordEntry]:
    """Every file, worst first (most errors, then most warnings, then clean; path order within a tie), each
    with its errors before its warnings."""
    findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in editors.report.active:
        findings[finding.path].append(finding)
    summaries = {record.path: record for record in editors.records}
    paths = sorted(set(summaries) | set(findings))
    out = [RecordEntry(path, summaries.get(path), tuple(sorted(findings[path], key=_severity_first))) for path in paths]
    return sorted(out, key=_worst_first)


def _severity_first(finding: Finding) -> tuple[int, int, int]:
    return (severity_rank(finding.severity), finding.line, finding.column)


def _worst_first(entry: RecordEntry) -> tuple[int, int, int]:
    errors, warnings = _split(entry.findings)
    return (2 if entry.worst is None else severity_rank(entry.worst), -errors, -warnings)


def rules_fired(findings: Sequence[Finding], registry: Registry) -> list[Rule]:
    return [registry.by_code[code] for code in sorted({f.code for f in findings})]


def buckets(queue: Sequence[QueueRow]) -> list[tuple[str, list[QueueRow]]]:
    """The queue by status, in queue order (STATUSES), each record in exactly one bucket; empty ones left out."""
    grouped: dict[str, list[QueueRow]] = defaultdict(list)
    for row in queue:
        grouped[row.status].append(row)
    return [(status, grouped[status]) for status in STATUSES if grouped[status]]


def when(row: QueueRow) -> str:
    """When a queue row is due, in words: "12 days overdue", "due today", "in 5 days"."""
    if row.days is None:
        return "no valid date"
    if row.days < 0:
        return f"{plural(-row.days, 'day')} overdue"
    return "due today" if row.days == 0 else f"in {plural(row.days, 'day')}"


def reviewers_of(row: QueueRow) -> tuple[str, ...]:
    return row.record.reviewers or (NO_REVIEWER,)


def workload(queue: Sequence[QueueRow]) -> list[tuple[str, Counter[str]]]:
    """Who has work waiting: reviewer -> queue statuses of the records they reviewed last, busiest first
    (most overdue, then most this week, then most in all). A record with no reviewer counts under
    NO_REVIEWER, so unowned work stays visible."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for row in queue:
        for name in reviewers_of(row):
            per[name][row.status] += 1
    return sorted(per.items(), key=lambda item: (-item[1]["overdue"], -item[1]["due-7"], -item[1].total(), item[0]))


def slugs(names: Iterable[str]) -> dict[str, str]:
    """A short, unique, URL-safe name for each reviewer (`dr-ann-pharmd`), for links to their work: the same
    for the same name whatever else the corpus holds, a suffix only where two names would collide."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        base = re.sub(r"[\W_]+", "-", name.lower()).strip("-") or "reviewer"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        out[name] = slug
    return out


class FamilyErrors(NamedTuple):
    family: str
    errors: int
    records: int  # records with at least one error of the family
    rules: tuple[tuple[Rule, int], ...]  # the family's rules that found errors, most errors first


def errors_by_family(findings: Sequence[Finding], registry: Registry) -> list[FamilyErrors]:
    """The most harmful open findings: errors by rule family, the family with most errors first."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.severity is Severity.ERROR:
            grouped[registry.by_code[finding.code].family].append(finding)
    out = []
    for family, found in grouped.items():
        per_rule = Counter(f.code for f in found)
        out.append(FamilyErrors(family, len(found), len({f.path for f in found}),
                                tuple((registry.by_code[code], n) for code, n in sorted(per_rule.items(),
                                                                                        key=lambda i: (-i[1], i[0])))))
    return sorted(out, key=lambda item: (-item.errors, registry.families.index(item.family)))


def safe_url(url: str) -> str | None:
    """The URL when it may become a link (http or https with a host), else None: record text such as
    `javascript:` or `data:` URLs is shown as text."""
    if any(ch.isspace() for ch in url) or hidden().search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def file_link(editors: EditorsReport, path: str, line: int) -> str:
    """Where `path:line` links to: the report's link template filled in (the file itself, relative, when
    there is none); an absolute path (a file outside the working directory) links to its file URI."""
    if os.path.isabs(path):
        return "file://" + quote(path.replace(os.sep, "/"))
    template = editors.report.link_template or "{path}"
    return template.replace("{path}", quote(path.replace(os.sep, "/"))).replace("{line}", str(line))


# Characters that every font of the page's stack draws (Latin, Greek, Cyrillic, common punctuation, symbols
# and mathematical signs), visible ones only. Any other character in a finding is also given as its code
# point: a reader whose font lacks Thai sees `U+0E23`, not an empty box, and an invisible one is seen at all.
_DRAWN = re.compile("[\u0020-\u007e\u00a1-\u00ac\u00ae-\u024f\u0300-\u036f\u0370-\u04ff\u1e00-\u1eff"
                    "\u2010-\u2027\u2030-\u205e\u2070-\u22ff]+")
_INVISIBLE = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"})


class Glyph(NamedTuple):
    """A character that may not be drawn: its code point (`U+0E23`), name, and whether it is invisible."""

    char: str
    code: str
    name: str
    invisible: bool


def _glyph(char: str) -> Glyph:
    category = unicodedata.category(char)
    return Glyph(char, f"U+{ord(char):04X}", unicodedata.name(char, category), category in _INVISIBLE)


def glyphs(text: str) -> list[str | Glyph]:
    """`text` as runs that every font draws and, between them, each other character on its own."""
    out: list[str | Glyph] = []
    position = 0
    for match in _DRAWN.finditer(text):
        out.extend(_glyph(char) for char in text[position: match.start()])
        out.append(match.group())
        position = match.end()
    out.extend(_glyph(char) for char in text[position:])
    return out


def _change(what: str, before: int, after: int) -> str:
    if before == after:
        return f"{what} unchanged at {after:,}"
    return f"{what} {'down' if after < before else 'up'} from {before:,} to {after:,}"


def trend(weeks: Sequence[Week]) -> str:
    """Are errors and overdue reviews going down? One sentence, from the first week with a commit to the last."""
    known = [week for week in weeks if week.commit]
    if not known:
        return f"The repository has no commit in the last {plural(len(weeks), 'week')}."
    first, last = known[0], known[-1]
    return (f"From {first.end.isoformat()} to {last.end.isoformat()}: "
            + "; ".join([_change("errors", first.errors, last.errors),
                         _change("warnings", first.warnings, last.warnings),
                         _change("reviews overdue", first.overdue, last.overdue),
                         _change(f"reviews due within {DUE_SOON_DAYS} days", first.due_soon, last.due_soon)]) + ".")
