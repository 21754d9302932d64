"""GitHub Actions workflow commands: `::error file=...,line=...::message`, one annotation per finding.

The runner reads every line of a step's output as a possible command, so record text must never start
one: data is escaped as the Actions toolkit does (`%`, CR, LF), properties also escape `:` and `,`. Every
other control or hidden character is shown as the text format shows it (escaping.visible), so that a log
viewer that splits lines at NEL or U+2028, or a terminal, sees `\x85`, `\u2028`, `\x1b`, never the character.
GitHub shows only the first few annotations of each kind per step, so errors come first.
"""
from __future__ import annotations

from ..escaping import visible
from ..model import Finding
from .base import Report, severity_rank


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return "".join(ch if ch >= " " and ch != "\x7f" else f"%{ord(ch):02X}" for ch in escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding) -> str:
    position = finding.position
    properties = {"file": visible(finding.path), "line": position.line, "endLine": position.end_line,
                  "col": position.column, "endColumn": position.end_column,
                  "title": f"{finding.code} {finding.name}"}
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    text = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    return f"::{finding.severity.value} {head}::{escape_data(visible(text, line_breaks=True))}"


def render(report: Report) -> str:
    findings = sorted(report.active, key=lambda f: severity_rank(f.severity))  # stable: path order within each
    lines = [_annotation(f) for f in findings]
    notice = report.baseline.stale_notice() if report.baseline else ""
    if notice:
        lines.append(f"::notice title=medlint baseline::{escape_data(visible(notice, line_breaks=True))}")
    return "".join(line + "\n" for line in lines)
