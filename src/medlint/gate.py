"""The merge gate: a check narrowed to what changed since a revision, minus what a baseline accepts.

    PATHS --discover--> targets --changes.select--> changed records + drug-folder neighbours
          --runner.check--> findings --baseline.apply--> new findings --Selection.keep--> the report
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import discovery, runner
from .cache import Cache
from .config import Config
from .engine import Run

if TYPE_CHECKING:  # imported by the runs that use them: a plain check does not pay for git or baselines
    from . import baseline, changes


class Gate(NamedTuple):
    outcome: runner.Outcome  # its findings are the ones the gate reports
    missing: list[str]  # PATHS that do not exist
    baseline: baseline.Applied | None = None
    selection: changes.Selection | None = None


def run(paths: Sequence[str], config: Config, today: dt.date, *, jobs: int | None = None, cache: Cache | None = None,
        changed_since: str | None = None, baseline_file: Path | None = None, summaries: bool = False,
        stdin: bytes | None = None, progress: runner.Progress | None = None) -> Gate:
    """Raises changes.GitError and baseline.BaselineError for the user to correct. `summaries` also collects
    each record's RecordSummary (for `medlint report`). With `stdin`, it is linted as the one file `paths`
    names (which need not exist)."""
    accepted = None
    if baseline_file:  # git and baselines are imported by the runs that use them, not by a plain check
        from . import baseline

        accepted = baseline.read(baseline_file)  # a bad baseline fails before any work
    selection = None
    scope: Sequence[str] = paths
    run = Run(today)
    if changed_since:
        from . import changes

        targets, missing = discovery.discover(paths, config.root, exclude=config.exclude)
        if missing:
            return Gate(runner.Outcome([], 0, 0), missing)
        selection = changes.select(changes.since(changed_since, Path.cwd()), targets, paths,
                                   config.max_file_bytes, config.limits_folder)
        scope = [*selection.paths, *selection.deleted]
        paths, run = selection.paths, Run(today, selection.previous)
    if stdin is not None:
        outcome, missing = runner.check_text(paths[0], stdin, config, run, cache, summaries), []
    else:
        outcome, missing = runner.check(paths, config, run, jobs, cache, summaries=summaries, progress=progress)
    findings, applied = outcome.findings, None
    if accepted is not None and baseline_file is not None:
        findings, applied = baseline.apply(findings, accepted, root=config.root, scope=scope, file=str(baseline_file))
    if selection is not None:
        findings = [f for f in findings if selection.keep(f)]
        if applied is not None:
            applied = applied._replace(baselined=tuple(f for f in applied.baselined if selection.keep(f)))
    return Gate(outcome._replace(findings=findings), missing, applied, selection)
