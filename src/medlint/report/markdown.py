"""A Markdown summary for `$GITHUB_STEP_SUMMARY` or a merge-request comment: counts by severity and by
rule, then the worst records first, each finding linked to its file and line.

Record text is untrusted and this text is rendered by GitHub or GitLab, or read in a terminal, so what could
start markup in it is escaped: Markdown and HTML, `$` (math), bare addresses, emoji codes, `@` (mentions) and
line breaks; and the characters that drive a terminal or hide text show as escapes (escaping.visible).
Long runs are cut (MAX_RECORDS, MAX_PER_RECORD, and MAX_BYTES in all: GitHub refuses a step summary over
1 MiB), saying how many findings were left out and where the full list is.
"""
from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from ..escaping import visible
from ..lazyre import Lazy
from ..model import Finding, Severity
from .base import Report, plural

MAX_RECORDS = 25
MAX_PER_RECORD = 10

# What can start markup in running text (escaped with a backslash, which CommonMark allows before any
# ASCII punctuation): emphasis, code, links and images, HTML and entities, tables, math, strikethrough;
# the colon of `scheme://` and the dot of `www.` (GitHub links bare addresses); a colon that opens an
# emoji code. Other punctuation (commas, slashes, full stops) is left as written: `records, tests/fixtures`.
_MARKUP = Lazy(r"[\\`*_\[\]<>|$~&]|:(?=//)|(?<![\w.])www(\.)|(?<![^\s(]):(?=[\w+-]+:)")
_LAYOUT = Lazy(r"[\t\n\r]+")
MAX_BYTES = 1_000_000  # GitHub takes step summaries up to 1 MiB (1,048,576 bytes); room is kept for the tail
MAX_MESSAGE = 1_000  # characters of a finding's message


def _escaped(match: re.Match[str]) -> str:
    return "www\\." if match.group(1) else "\\" + match.group()


def escape(text: str) -> str:
    """Text that renders as itself: no links, emphasis, HTML, math, table breaks, emoji or mentions; line
    breaks become spaces, and other controls show as escapes (`\\x1b`), as in the text format."""
    text = visible(_LAYOUT.sub(" ", text))
    # a zero-width space after `@` breaks a mention (GitHub links `\@name` too): the one hidden character
    # medlint writes
    return _MARKUP.sub(_escaped, text).replace("@", "@\u200b")


def ci_run_url(env: Mapping[str, str]) -> str:
    """The CI job's page, where the whole run's log is: GitHub Actions and GitLab CI; "" elsewhere."""
    if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_RUN_ID"):
        return f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    return env.get("CI_JOB_URL", "")


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


def _message(finding: Finding) -> str:
    text = finding.message if len(finding.message) <= MAX_MESSAGE else finding.message[: MAX_MESSAGE - 1] + "\u2026"
    return escape(text)


def _record(report: Report, path: str, found: Sequence[Finding]) -> list[str]:
    lines = ["", f"#### {_link(report, path, 1, escape(path))}: {_tally(found)}", ""]
    for finding in found[:MAX_PER_RECORD]:
        where = _link(report, path, finding.line, f"line {finding.line}")
        lines.append(f"- {where}: **{finding.code}** `{finding.name}` ({finding.severity.value}): "
                     f"{_message(finding)}")
    if len(found) > MAX_PER_RECORD:
        lines.append(f"- and {len(found) - MAX_PER_RECORD} more")
    return lines


def _records(report: Report, active: Sequence[Finding], budget: int) -> list[str]:
    """The worst records first, as many as MAX_RECORDS and `budget` bytes allow, then what was left out."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in active:
        grouped[finding.path].append(finding)

    def worst_first(path: str) -> tuple[int, int, str]:
        errors = sum(1 for f in grouped[path] if f.severity is Severity.ERROR)
        return (-errors, -(len(grouped[path]) - errors), path)

    paths = sorted(grouped, key=worst_first)
    lines: list[str] = []
    shown = 0
    for path in paths[:MAX_RECORDS]:
        block = _record(report, path, grouped[path])
        size = sum(len(line.encode("utf-8")) + 1 for line in block)
        if size > budget:
            break
        budget -= size
        lines += block
        shown += 1
    if shown < len(paths):
        left = sum(len(grouped[path]) for path in paths[shown:])
        where = f" in [the job's log]({report.run_url})" if report.run_url else " in the text report (`medlint check`)"
        lines += ["", f"And {plural(left, 'more finding')} in {plural(len(paths) - shown, 'more record')}: "
                      f"every finding is listed{where}."]
    return lines


def render(report: Report) -> str:
    """The summary, never more than MAX_BYTES of UTF-8 however large the run."""
    active = report.active
    lines = [_headline(report), "", *_counts(report)]
    notice = report.baseline.stale_notice() if report.baseline else ""
    if notice:
        lines += ["", f"> {escape(notice[:MAX_MESSAGE])}"]
    if active:
        lines += ["", "### By rule", "", *_by_rule(active), "", "### Records, worst first"]
        used = sum(len(line.encode("utf-8")) + 1 for line in lines)
        lines += _records(report, active, MAX_BYTES - used - 1_000)  # room for the closing line
    return "\n".join(lines) + "\n"
