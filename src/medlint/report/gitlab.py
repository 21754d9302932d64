"""GitLab Code Quality (a subset of the Code Climate issue format), shown in merge-request widgets and diffs.

GitLab requires `description`, `check_name`, `fingerprint`, `severity` and `location.path` with
`location.lines.begin`; paths are relative to the repository root (medlint's display paths, when it runs
there). Fingerprints must be unique within a report and stable across commits, or GitLab shows every
finding as new and fixed at once: fingerprint.fingerprints gives exactly that.
"""
from __future__ import annotations

from typing import Any

from ..escaping import json_text
from ..fingerprint import fingerprints
from ..model import Finding, Severity
from .base import Report

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor"}  # GitLab: info, minor, major, critical, blocker


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.name}: {finding.message}",
        "categories": ["Bug Risk"],
        "severity": SEVERITY[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": finding.path,
                     "lines": {"begin": finding.position.line, "end": finding.position.end_line}},
    }
    if finding.hint:
        issue["content"] = {"body": finding.hint}
    return issue


def render(report: Report) -> str:
    active = report.active
    issues = [_issue(finding, fingerprint) for finding, fingerprint in zip(active, fingerprints(active), strict=True)]
    return json_text(issues, indent=2) + "\n"
