"""SARIF 2.1.0, for GitHub code scanning and every other SARIF viewer.

Rules are described inline from their docs (the same text as `medlint explain`): medlint has no public
address of its own, so `informationUri` and `helpUri` appear only when the config's `docs-url` says where
medlint's docs/ folder is published. Results point at the exact region; `partialFingerprints` come from
fingerprint.fingerprints, so an alert keeps its identity when lines above it move; inline suppressions
are results with `suppressions`, which viewers show as dismissed rather than silently losing them, and so
are baselined findings with `--include-suppressed`. Runs are cut to GitHub code scanning's limits, with a
run-level notification saying so.
"""
from __future__ import annotations

import os
from typing import Any, NamedTuple
from urllib.parse import quote

from .. import docs
from ..escaping import json_text
from ..fingerprint import fingerprints
from ..model import Finding, Severity
from ..rules.base import Rule
from .base import Report, severity_rank

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "medlint/v1"  # bump the suffix if fingerprint.fingerprints ever changes what it hashes

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}
MAX_RESULTS = 5_000  # GitHub code scanning shows the top 5,000 results of a run (and rejects runs over 25,000)
MAX_BYTES = 9_000_000  # of results; it takes files up to 10 MB gzipped, and a file under that unzipped is too
_RESULT_INDENT = 8  # spaces before each line of a result in the file (indent 2, four levels deep)
MAX_MESSAGE = 2_000  # characters of a result's message: longer quotes of record text help no one in an alert
# A --changed-since run covers only the changed records: uploaded under the category of full runs, code
# scanning would close every alert in the other files as fixed. Its own category keeps them apart
# (`upload-sarif` keeps an automationDetails.id the file has; docs/ci.md).
PARTIAL_CATEGORY = "medlint-changed-since/"


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
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "\u2026"
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


class Selected(NamedTuple):
    results: list[dict[str, Any]]  # in file order
    total: int  # results the run had before the caps


def _select(report: Report) -> Selected:
    """The results of the run, within GitHub code scanning's limits: at most MAX_RESULTS, and
    MAX_BYTES of them; when the run has more, the errors are kept before the warnings and suppressed
    results last. Baselined findings are left out unless `include_suppressed`: a legacy corpus's baseline
    would otherwise fill the 5,000 places with what nobody is asked to fix."""
    index = {rule.code: number for number, rule in enumerate(report.rules.rules)}
    pairs: list[tuple[Finding, dict[str, str] | None]] = [
        (f, None if f.suppressed is None else {"kind": "inSource", "justification": f.suppressed})
        for f in report.findings]
    if report.baseline and report.include_suppressed:
        accepted = {"kind": "external", "justification": f"accepted by the baseline {report.baseline.file}"}
        pairs += [(f, accepted) for f in report.baseline.baselined]
    pairs.sort(key=lambda pair: pair[0].sort_key())
    prints = fingerprints([finding for finding, _ in pairs])  # over all of them: identities do not depend on caps
    ranked = sorted(range(len(pairs)), key=lambda i: (pairs[i][1] is not None, severity_rank(pairs[i][0].severity)))
    chosen: list[int] = []
    size = 0
    for i in ranked[:MAX_RESULTS]:
        (finding, suppression), fingerprint = pairs[i], prints[i]
        size += _written_size(_result(finding, index[finding.code], fingerprint, suppression))
        if size > MAX_BYTES:
            break
        chosen.append(i)
    return Selected([_result(pairs[i][0], index[pairs[i][0].code], prints[i], pairs[i][1]) for i in sorted(chosen)],
                    len(pairs))


def _written_size(result: dict[str, Any]) -> int:
    """Bytes of a result as the file holds it: indented, each line by the depth of `runs[0].results[i]`
    (counted compactly, the cap left the file 0.7 MB over its 10 MB once the rule catalogue grew)."""
    text = json_text(result, indent=2)
    return len(text.encode("utf-8")) + _RESULT_INDENT * (text.count("\n") + 1) + len(",\n")


def cap_notice(report: Report) -> str:
    """What the caps left out, in words, or ""."""
    selected = _select(report)
    if len(selected.results) == selected.total:
        return ""
    return (f"the SARIF report holds {len(selected.results):,} of the run's {selected.total:,} results, errors "
            f"first: GitHub code scanning takes at most {MAX_RESULTS:,} results a run and "
            f"{MAX_BYTES // 1_000_000} MB a file; the text report lists them all")


def render(report: Report) -> str:
    selected = _select(report)
    driver: dict[str, Any] = {"name": "medlint", "rules": [_rule(rule, report.docs_url) for rule in report.rules.rules]}
    if report.docs_url:
        driver["informationUri"] = report.docs_url
    if report.tool_version:
        driver["version"] = report.tool_version
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notice = cap_notice(report)
    if notice:
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": notice}}]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The directory medlint ran in: the repository root in CI."}}},
        "columnKind": "unicodeCodePoints",
        "results": selected.results,
    }
    if report.partial:  # see PARTIAL_CATEGORY
        run["automationDetails"] = {"id": PARTIAL_CATEGORY}
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text(document, indent=2) + "\n"
