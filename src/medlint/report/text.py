"""`path:line:col: CODE severity name message`, a hint line, and a summary: what authors read in a terminal.

The severity is a word on every line, not only a colour, so that a CI log (no colour) tells errors from
warnings; `--statistics` prints one line per rule instead of one per finding.
"""
from __future__ import annotations

from collections import Counter

from ..escaping import visible
from ..model import Finding, Severity
from .base import Report, files_with_findings, plural

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m"


def _fixable(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.safe


def _paint(report: Report, code: str, text: str) -> str:
    return f"{code}{text}{_RESET}" if report.color else text


def _colour(finding: Finding) -> str:
    return _RED if finding.severity is Severity.ERROR else _YELLOW


def summary(report: Report) -> str:
    """The closing line: what was found, in how many of the files checked, and how much `medlint fix` repairs."""
    counts = report.counts()
    if not report.active:
        line = f"All clear: {plural(report.records, 'record')} checked, no problems found."
    else:
        flagged = files_with_findings(report)
        where = plural(flagged, "file") + ("" if flagged == report.files else f" ({report.files} checked)")
        line = f"Found {plural(counts['error'], 'error')} and {plural(counts['warning'], 'warning')} in {where}."
        if counts["fixable"]:
            line += f" {counts['fixable']} fixable with `medlint fix`."
    if counts["suppressed"]:
        line += f" ({counts['suppressed']} suppressed inline.)"
    if counts["baselined"]:
        line += f" ({counts['baselined']} baselined.)"
    return _paint(report, _DIM, line) if not report.active else line


def _closing(report: Report) -> list[str]:
    if report.quiet:
        return []
    lines = [summary(report)]
    notice = report.baseline.stale_notice() if report.baseline else ""
    if notice:
        lines.append(_paint(report, _YELLOW, f"warning: {visible(notice)}"))
    return lines


def render(report: Report) -> str:
    lines: list[str] = []
    for finding in report.active:
        where = _paint(report, _BOLD, f"{visible(finding.path)}:{finding.line}:{finding.column}:")
        code = _paint(report, _colour(finding), f"{finding.code} {finding.severity.value} {finding.name}")
        lines.append(f"{where} {code} {visible(finding.message)}")
        hint = finding.hint
        if _fixable(finding):
            hint = f"{hint} [fixable: medlint fix]" if hint else "[fixable: medlint fix]"
        if hint:
            lines.append(_paint(report, _CYAN, f"    hint: {visible(hint)}"))
        if report.show_fixes and finding.fix is not None and _fixable(finding):
            lines.append(_paint(report, _CYAN, f"    fix: {visible(finding.fix.description)}"))
    lines += _closing(report)
    return "".join(line + "\n" for line in lines)


def statistics(report: Report) -> str:
    """`--statistics`: findings counted by rule, most first, with the rule's severity and `[*]` where
    `medlint fix` repairs some of them; then the summary line."""
    counts = Counter(f.code for f in report.active)
    sample = {f.code: f for f in report.active}
    fixable = {f.code for f in report.active if _fixable(f)}
    width = len(str(max(counts.values(), default=0)))
    lines = []
    for code in sorted(counts, key=lambda code: (-counts[code], code)):
        severity = _paint(report, _colour(sample[code]), f"{sample[code].severity.value:<7}")
        lines.append(f"{counts[code]:>{width}}  {code}  {severity}  {'[*]' if code in fixable else '   '} "
                     f"{sample[code].name}")
    return "".join(line + "\n" for line in lines + _closing(report))
