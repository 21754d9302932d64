"""Machine-readable findings, documented by schemas/findings.schema.json."""
from __future__ import annotations

from typing import Any

from ..baseline import entry_dict
from ..escaping import json_text
from ..model import Finding
from .base import Report

VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    position = finding.position
    return {
        "path": finding.path, "line": position.line, "column": position.column,
        "end_line": position.end_line, "end_column": position.end_column,
        "code": finding.code, "name": finding.name, "severity": finding.severity.value,
        "message": finding.message, "pointer": finding.pointer, "hint": finding.hint,
        "fixable": finding.fix is not None and finding.fix.safe,
    }


def render(report: Report) -> str:
    counts = report.counts()
    document = {
        "version": VERSION,
        "findings": [finding_dict(f) for f in report.active],
        "summary": {"files": report.files, "records": report.records, "errors": counts["error"],
                    "warnings": counts["warning"], "fixable": counts["fixable"],
                    "suppressed": counts["suppressed"]},
    }
    if report.baseline is not None:
        document["baseline"] = {"file": report.baseline.file, "baselined": counts["baselined"],
                                "stale": [entry_dict(entry) for entry in report.baseline.stale]}
    return json_text(document, indent=2) + "\n"
