"""A Markdown summary for `$GITHUB_STEP_SUMMARY` or a merge-request comment: counts by severity and by
rule, then the worst records first, each finding linked to its file and line.

Record text is untrusted and this text is rendered by GitHub or GitLab, so every piece of it is escaped:
Markdown and HTML punctuation, `$` (math), `@` (mentions) and line breaks. Long runs are cut
(MAX_RECORDS, MAX_PER_RECORD) to stay far below the size limits of summaries and comments.
"""
from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from ..model import Finding, Severity
from .base import Report, plural

MAX_RECORDS = 25
MAX_PER_RECORD = 10

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # all ASCII punctuation: CommonMark lets each be escaped
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def escape(text: str) -> str:
    """Text that renders as itself: no links, emphasis, HTML, math, table breaks or mentions."""
    text = _CONTROL.sub(" ", text)
    return _PUNCTUATION.sub(r"\\\1", text).replace("@", "@\u200b")


def ci_link_template(env: Mapping[str, str]) -> str:
    """Links to files at the commit being checked, from the variables GitHub Actions and GitLab CI set;
    "" elsewhere (links are then relative to the working directory)."""
    if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        return f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}/{{path}}#L{{line}}"
    if env.get("CI_PROJECT_URL") and env.get("CI_COMMIT_SHA"):
        return f"{env['CI_PROJECT_URL']}/-/blob/{env['CI_COMMIT_SHA']}/{{path}}#L{{line}}"
    return ""


def _link(report: Report, path: str, line: int, label: str) -> str:
    if os.path.isabs(path):
        return label  # outside the working directory: no URL would reach it
    template = report.link_template or "{path}#L{line}"
    url = template.replace("{path}", quote(path.replace(os.sep, "/"))).replace("{line}", str(line))
    return f"[{label}]({url})"


def _tally(findings: Sequence[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    parts = [plural(errors, "error")] if errors else []
    if len(findings) > errors:
        parts.append(plural(len(findings) - errors, "warning"))
    return ", ".join(parts)


def _headline(report: Report) -> str:
    active = report.active
    if not active:
        return f"## medlint: all clear\n\n{plural(report.records, 'record')} checked, no problems found."
    records = len({f.path for f in active})
    return (f"## medlint: {_tally(active)}\n\n"
            f"In {records} of {plural(report.files, 'file')} checked.")


def _counts(report: Report) -> list[str]:
    counts = report.counts()
    rows = [("errors", counts["error"]), ("warnings", counts["warning"]),
            ("suppressed inline", counts["suppressed"]), ("baselined", counts["baselined"])]
    return ["| | findings |", "| --- | ---: |", *(f"| {label} | {value} |" for label, value in rows)]


def _by_rule(active: Sequence[Finding]) -> list[str]:
    count = Counter(f.code for f in active)
    sample = {f.code: f for f in active}  # a rule has one severity per run
    ordered = sorted(count, key=lambda code: (sample[code].severity is not Severity.ERROR, -count[code], code))
    lines = ["| rule | severity | findings |", "| --- | --- | ---: |"]
    lines += [f"| {code} `{sample[code].name}` | {sample[code].severity.value} | {count[code]} |" for code in ordered]
    return lines


def _records(report: Report, active: Sequence[Finding]) -> list[str]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in active:
        grouped[finding.path].append(finding)

    def worst_first(path: str) -> tuple[int, int, str]:
        errors = sum(1 for f in grouped[path] if f.severity is Severity.ERROR)
        return (-errors, -(len(grouped[path]) - errors), path)

    paths = sorted(grouped, key=worst_first)
    lines: list[str] = []
    for path in paths[:MAX_RECORDS]:
        found = grouped[path]
        lines += ["", f"#### {_link(report, path, 1, escape(path))}: {_tally(found)}", ""]
        for finding in found[:MAX_PER_RECORD]:
            where = _link(report, path, finding.line, f"line {finding.line}")
            lines.append(f"- {where}: **{finding.code}** `{finding.name}` ({finding.severity.value}): "
                         f"{escape(finding.message)}")
        if len(found) > MAX_PER_RECORD:
            lines.append(f"- and {len(found) - MAX_PER_RECORD} more")
    if len(paths) > MAX_RECORDS:
        lines += ["", f"And {plural(len(paths) - MAX_RECORDS, 'more record')} with findings."]
    return lines


def render(report: Report) -> str:
    active = report.active
    lines = [_headline(report), "", *_counts(report)]
    notice = report.baseline.stale_notice() if report.baseline else ""
    if notice:
        lines += ["", f"> {escape(notice)}"]
    if active:
        lines += ["", "### By rule", "", *_by_rule(active), "", "### Records, worst first", *_records(report, active)]
    return "\n".join(lines) + "\n"
