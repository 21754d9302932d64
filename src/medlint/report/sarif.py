"""SARIF 2.1.0, for GitHub code scanning and every other SARIF viewer.

Rules are described inline from their docs (the same text as `medlint explain`): medlint has no public
address of its own, so `informationUri` and `helpUri` appear only when the config's `docs-url` says where
medlint's docs/ folder is published. Results point at the exact region; `partialFingerprints` come from
fingerprint.fingerprints, so an alert keeps its identity when lines above it move; inline suppressions
and baselined findings are results with `suppressions`, which viewers show as dismissed rather than
silently losing them.
"""
from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from .. import docs, rules
from ..fingerprint import fingerprints
from ..model import Finding, Severity
from ..rules.base import Rule
from .base import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "medlint/v1"  # bump the suffix if fingerprint.fingerprints ever changes what it hashes

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _rule(rule: Rule, docs_url: str) -> dict[str, Any]:
    help_text = docs.rule_markdown(rule)
    described: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs.what},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["medlint", rule.family]},
    }
    if docs_url:
        described["helpUri"] = docs.rule_url(docs_url, rule)
    return described


def _artifact(path: str) -> dict[str, str]:
    """Relative paths (the usual case: medlint runs at the repository root) resolve against %SRCROOT%."""
    if os.path.isabs(path):
        return {"uri": "file://" + quote(path.replace(os.sep, "/"))}
    return {"uri": quote(path.replace(os.sep, "/")), "uriBaseId": SRCROOT}


def _result(finding: Finding, index: int, fingerprint: str, suppression: dict[str, str] | None) -> dict[str, Any]:
    position = finding.position
    text = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": _artifact(finding.path),
            "region": {"startLine": position.line, "startColumn": position.column,
                       "endLine": position.end_line, "endColumn": position.end_column},
        }}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": {"pointer": finding.pointer, "fixable": finding.fix is not None and finding.fix.safe},
    }
    if suppression is not None:
        result["suppressions"] = [suppression]
    return result


def render(report: Report) -> str:
    index = {rule.code: number for number, rule in enumerate(rules.RULES)}
    pairs: list[tuple[Finding, dict[str, str] | None]] = [
        (f, None if f.suppressed is None else {"kind": "inSource", "justification": f.suppressed})
        for f in report.findings]
    if report.baseline:
        accepted = {"kind": "external", "justification": f"accepted by the baseline {report.baseline.file}"}
        pairs += [(f, accepted) for f in report.baseline.baselined]
    pairs.sort(key=lambda pair: pair[0].sort_key())
    prints = fingerprints([finding for finding, _ in pairs])
    results = [_result(finding, index[finding.code], fingerprint, suppression)
               for (finding, suppression), fingerprint in zip(pairs, prints, strict=True)]
    driver: dict[str, Any] = {"name": "medlint", "rules": [_rule(rule, report.docs_url) for rule in rules.RULES]}
    if report.docs_url:
        driver["informationUri"] = report.docs_url
    if report.tool_version:
        driver["version"] = report.tool_version
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {SRCROOT: {"description": {
                "text": "The directory medlint ran in: the repository root in CI."}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
