"""The commands that lint records: check, baseline, fix and report."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from .. import __version__, config as config_mod, gate, runner, terminal
from ..engine import Run
from ..escaping import visible
from ..model import Severity
from ..report import EDITORS_FORMATS, FORMATS, Report, markdown, text as text_report
from . import common
from .common import EXIT_FINDINGS, EXIT_OK, UsageError

if TYPE_CHECKING:
    from .. import fix, history


def _stdin(args: argparse.Namespace, cfg: config_mod.Config) -> tuple[list[str], bytes | None]:
    """`-` as the one PATH: standard input, linted as --stdin-filename (or as `-`, whose id is unchecked)."""
    if args.paths != ["-"]:
        if "-" in args.paths or args.stdin_filename:
            raise UsageError("standard input is read when `-` is the only PATH: "
                             "`medlint check - --stdin-filename records/DRUG/INDICATION.yaml`")
        return common.paths(args, cfg), None
    if args.changed_since:
        raise UsageError("--changed-since compares files in git; it does not combine with standard input")
    data = sys.stdin.buffer.read(cfg.max_file_bytes + 1)
    return [args.stdin_filename or "-"], data


def _lint(args: argparse.Namespace, paths: Sequence[str],
          start: Callable[[terminal.Progress | None], gate.Gate]) -> gate.Gate:
    """`start` (a gate.run) with the progress bar the arguments ask for, closed however the run ends; a PATH
    that does not exist is a usage error, and a run that found no records says so (unless --quiet)."""
    progress = common.progress(args)
    try:
        result = start(progress)
    finally:
        if progress is not None:
            progress.close()
    if result.missing:
        raise UsageError(f"no such file or folder: {', '.join(result.missing)}")
    if result.selection is None and result.outcome.files == 0 and not args.quiet:
        print(f"medlint: no records (*.yaml) found in {visible(', '.join(paths))}", file=sys.stderr)
    return result


def cmd_check(args: argparse.Namespace) -> int:
    cfg = common.load_config(args)
    today = args.today or dt.date.today()
    for old in args.renamed:
        print(f"medlint: warning: `{old}` is now `--report {old.split(' ', 1)[1]}`; --output-format names the "
              "format of the report on standard output, as in ruff", file=sys.stderr)
    if args.unsafe_fixes and not args.fix:
        raise UsageError("--unsafe-fixes applies fixes, so it needs --fix")
    if args.fix and args.changed_since:  # --fix would rewrite every record, not only the changed ones
        raise UsageError("--fix does not combine with --changed-since; "
                         "run `medlint fix FILES` on the files you changed")
    if args.statistics and args.output_format != "text":
        raise UsageError("--statistics counts findings in the text format; drop --output-format "
                         f"{args.output_format}, or write it with --report {args.output_format}:FILE")
    paths, stdin = _stdin(args, cfg)
    if args.fix and stdin is not None:
        raise UsageError("--fix rewrites files; standard input has none (`medlint fix` a saved file)")
    if args.fix:
        from .. import fix

        plans = _fix(args, cfg, Run(today), write_files=True)
        if not args.quiet:
            print(fix.summary(plans, written=True, unsafe=args.unsafe_fixes), end="", file=sys.stderr)
    result = _lint(args, paths, lambda progress: gate.run(
        paths, cfg, today, jobs=args.jobs, cache=common.cache(args, cfg, today), changed_since=args.changed_since,
        baseline_file=common.baseline(args, cfg), stdin=stdin, progress=progress))
    outcome = result.outcome
    if result.selection is not None and not args.quiet:
        print(visible(result.selection.describe(args.changed_since)), file=sys.stderr)
    report = Report(outcome.findings, outcome.files, outcome.records, today,
                    terminal.wants_color(args.color, sys.stdout) and not args.output, __version__,
                    result.baseline, markdown.ci_link_template(os.environ), cfg.docs_url, quiet=args.quiet,
                    show_fixes=args.show_fixes, run_url=markdown.ci_run_url(os.environ),
                    include_suppressed=args.include_suppressed, partial=bool(args.changed_since),
                    rules=cfg.rules.registry)
    _write_reports(args, report)
    return EXIT_OK if args.exit_zero else _exit_code(report, args.strict)


def _write_reports(args: argparse.Namespace, report: Report) -> None:
    """The --output-format report (to --output or standard output), then each --report FMT:FILE."""
    outputs: list[tuple[str, str | None]] = [(args.output_format, args.output), *args.report]
    for index, (name, file) in enumerate(outputs):
        render = text_report.statistics if args.statistics and index == 0 else FORMATS[name]
        to_stdout = file is None or file == "-"
        try:
            common.emit(render(report if to_stdout else report._replace(color=False)), file)
        except OSError as exc:
            raise UsageError(f"cannot write {file}: {exc.strerror or exc}") from None
        if name == "sarif" and not args.quiet:
            from ..report import sarif  # deferred, as FORMATS defers every writer but text

            notice = sarif.cap_notice(report)
            if notice:
                print(f"medlint: warning: {notice}", file=sys.stderr)


def cmd_baseline(args: argparse.Namespace) -> int:
    from .. import baseline

    cfg = common.load_config(args)
    today = args.today or dt.date.today()
    progress = common.progress(args)
    try:
        outcome, missing = runner.check(common.paths(args, cfg), cfg, Run(today), args.jobs,
                                        common.cache(args, cfg, today), progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    output = args.output or (runner.display_path(Path(cfg.baseline)) if cfg.baseline else "medlint-baseline.json")
    entries = baseline.entries(outcome.findings, cfg.root)
    baseline.write(Path(output), entries)
    accepted = sum(entry.occurrences for entry in entries)
    if not args.quiet:
        configured = cfg.baseline and Path(output).resolve() == Path(cfg.baseline).resolve()
        shown = visible(output)
        then = "`medlint check` applies it (`baseline` in the config)" if configured else \
            f"`medlint check --baseline {shown}` applies it"
        print(f"medlint: wrote {shown}: {accepted} finding(s) in {outcome.files} file(s) accepted "
              f"as {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}; commit it; {then}")
    return EXIT_OK


def _exit_code(report: Report, strict: bool) -> int:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    # stale baseline entries are warning-level: --strict fails on them, so a fix also shrinks the baseline
    stale = strict and report.baseline is not None and bool(report.baseline.stale)
    return EXIT_FINDINGS if stale or any(f.severity in failing for f in report.active) else EXIT_OK


def _fix(args: argparse.Namespace, cfg: config_mod.Config, run: Run, write_files: bool) -> list[fix.Plan]:
    from .. import fix  # deferred: it brings ruamel.yaml, which only fixing needs

    plans, missing = fix.fix_paths(common.paths(args, cfg, tables=False), cfg, run, unsafe=args.unsafe_fixes,
                                   write_files=write_files)
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return plans


def cmd_fix(args: argparse.Namespace) -> int:
    from .. import fix

    cfg = common.load_config(args)
    preview = args.check or args.diff
    plans = _fix(args, cfg, Run(args.today or dt.date.today()), write_files=not preview)
    if not plans and not args.quiet:
        print(f"medlint: no records (*.yaml) found in {visible(', '.join(common.paths(args, cfg, tables=False)))}",
              file=sys.stderr)
    if args.diff:
        sys.stdout.write("".join(fix.diff(plan, escape=sys.stdout.isatty()) for plan in plans))
    # with --diff, stdout is the patch alone, so that it can be piped to `git apply`
    if not args.quiet:
        print(fix.summary(plans, written=not preview, unsafe=args.unsafe_fixes), end="",
              file=sys.stderr if args.diff else sys.stdout)
    pending = preview and any(plan.changed for plan in plans)
    return EXIT_FINDINGS if pending or any(plan.refused for plan in plans) else EXIT_OK


def _report_links(args: argparse.Namespace) -> str:
    """The `path:line` link template: the user's; in CI, the files at the commit; else the record files
    relative to where the report is read."""
    if args.link is not None:
        if "{path}" not in args.link or urlsplit(args.link).scheme.lower() not in ("", "http", "https", "file"):
            raise UsageError(f"--link {args.link!r} must be an http(s) or relative URL containing {{path}}")
        return str(args.link)
    ci = markdown.ci_link_template(os.environ)
    if ci:
        return ci
    folder = Path(args.out).resolve().parent if args.out else Path.cwd()
    prefix = os.path.relpath(Path.cwd().resolve(), folder).replace(os.sep, "/")
    return "{path}" if prefix == "." else quote(prefix) + "/{path}"


def cmd_report(args: argparse.Namespace) -> int:
    if args.output_format == "html" and not args.out:
        raise UsageError("the html report is a file: give --output FILE (markdown and csv can go to stdout)")
    links = _report_links(args)
    cfg = common.load_config(args)
    today = args.today or dt.date.today()
    paths = common.paths(args, cfg)
    cache = common.cache(args, cfg, today)
    result = _lint(args, paths, lambda progress: gate.run(
        paths, cfg, today, jobs=args.jobs, cache=cache, baseline_file=common.baseline(args, cfg), summaries=True,
        progress=progress))
    outcome = result.outcome
    report = Report(outcome.findings, outcome.files, outcome.records, today, False, __version__, result.baseline,
                    links, rules=cfg.rules.registry)
    from ..report.editors import EditorsReport  # the review queue: only `report` needs it

    weeks: Sequence[history.Week] = ()
    if args.history:
        from .. import history

        weeks = history.weekly(paths, cfg, today, args.history, cache)
    editors = EditorsReport(report, outcome.summaries, ", ".join(paths), weeks)
    try:  # `--out site/report.html` in CI: files.write_text creates the folder
        common.emit(EDITORS_FORMATS[args.output_format](editors), args.out)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    if args.out and args.out != "-" and not args.quiet:
        print(f"medlint: wrote the {args.output_format} report of {outcome.records} records to {visible(args.out)}",
              file=sys.stderr)
    return EXIT_OK  # a report informs; `medlint check` is the gate
