"""What every reporter receives."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..model import Finding, Severity
from ..rules import BUILTIN
from ..rules.registry import Registry

if TYPE_CHECKING:  # a run without a baseline does not import its module
    from ..baseline import Applied


class Report(NamedTuple):
    findings: Sequence[Finding]  # sorted; suppressed ones included (they carry `suppressed`)
    files: int = 0
    records: int = 0
    today: dt.date = dt.date(1970, 1, 1)
    color: bool = False
    tool_version: str = ""
    baseline: Applied | None = None  # set by --baseline: what it accepted (not in `findings`) and its stale entries
    link_template: str = ""  # file links in Markdown: `{path}` and `{line}` are replaced; "" links relatively
    docs_url: str = ""  # the config's `docs-url`: where medlint's docs/ folder is published; "" means nowhere
    quiet: bool = False  # text: the findings only (-q)
    show_fixes: bool = False  # text: under each fixable finding, what `medlint fix` changes (--show-fixes)
    run_url: str = ""  # where the run's whole log is (CI): a summary cut to its size limit links to it
    include_suppressed: bool = False  # SARIF: baselined findings too, as suppressed results (--include-suppressed)
    partial: bool = False  # only changed records were checked (--changed-since): not the whole corpus
    rules: Registry = BUILTIN  # the run's rules: the built-in ones and those it added (config.Config.rules)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter(f.severity.value for f in self.active)
        counts["suppressed"] = sum(1 for f in self.findings if f.suppressed is not None)
        counts["fixable"] = sum(1 for f in self.active if f.fix is not None and f.fix.safe)
        counts["baselined"] = len(self.baseline.baselined) if self.baseline else 0
        return counts


def files_with_findings(report: Report) -> int:
    return len({f.path for f in report.active})


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def severity_rank(severity: Severity) -> int:
    return 0 if severity is Severity.ERROR else 1
