"""Findings as the protocol's diagnostics: the same codes, severities, messages and ranges as `medlint check`.

The code links to the rule's docs only where the config's `docs-url` says where they are published, as
SARIF's help links do: an invented address would be a dead link in every author's editor."""
from __future__ import annotations

from lsprotocol import types

from .. import docs
from ..model import Finding, Severity
from .analysis import Analysis
from .text import LineIndex, span

SOURCE = "medlint"
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning}


def finding_range(analysis: Analysis, index: LineIndex, finding: Finding) -> types.Range:
    return span(index, analysis.line_starts, analysis.shift, finding.position)


def diagnostic(analysis: Analysis, index: LineIndex, finding: Finding) -> types.Diagnostic:
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    config = analysis.config
    link = types.CodeDescription(href=docs.rule_url(config.docs_url, config.rules.rule(finding.code))) \
        if config and config.docs_url else None
    return types.Diagnostic(range=finding_range(analysis, index, finding), message=message,
                            severity=_SEVERITY[finding.severity], code=finding.code, source=SOURCE,
                            code_description=link)


def diagnostics(analysis: Analysis, index: LineIndex) -> list[types.Diagnostic]:
    if analysis.error:  # the author must see why nothing is checked, where they are looking
        return [types.Diagnostic(range=index.range(0, 0), severity=types.DiagnosticSeverity.Error, source=SOURCE,
                                 message=f"medlint cannot check this file: {analysis.error}")]
    return [diagnostic(analysis, index, finding) for finding in analysis.findings]
