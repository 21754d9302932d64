"""The command line: parse arguments, call the core, print. No linting logic lives here."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import quote, urlsplit

from . import (
    __version__,
    cache as cache_mod,
    config as config_mod,
    gate,
    rules,
    runner,
    schema as schema_mod,
    terminal,
)
from .engine import Run
from .errors import UserError
from .escaping import json_source, visible
from .model import Severity
from .report import EDITORS_FORMATS, FORMATS, EditorsReport, Report, markdown, text as text_report
from .suggest import did_you_mean

if TYPE_CHECKING:
    from . import fix, history

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(UserError):
    """A command line that cannot be run as given."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _weeks(text: str) -> int:
    from . import history  # git and its subprocesses: only `report --history` needs them

    try:
        return history.weeks_of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for a mistyped option, command or choice (`--formt`, `chek`, `jsn`)."""

    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            hint = did_you_mean(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)))
            message += f"; {hint}" if hint else ""
        unknown = re.match(r"unrecognized arguments: (\S+)", message)
        if unknown and unknown.group(1).startswith("-"):
            hint = did_you_mean(unknown.group(1).split("=")[0], self._option_string_actions)
            message += f"; {hint}" if hint else ""
        super().error(message)


class _OutputFormat(argparse.Action):
    """--output-format FMT sets the report's format; the FMT:FILE form (the option's meaning before
    `--report`) is still understood, as one more --report, with a warning."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        if isinstance(values, tuple):
            namespace.report = [*namespace.report, values]  # new lists: argparse shares the defaults
            namespace.renamed = [*namespace.renamed, f"{option_string} {':'.join(values)}"]
        else:
            namespace.output_format = values


def _stdout_format(text: str) -> str | tuple[str, str]:
    """--output-format FMT; FMT:FILE is the name this option had before `--report`, still understood."""
    if text in FORMATS:
        return text
    name, colon, file = text.partition(":")
    if colon and name in FORMATS and file:
        return name, file
    raise argparse.ArgumentTypeError(f"{text!r} is not a format; use one of {', '.join(sorted(FORMATS))}"
                                     + (f" ({did_you_mean(name, FORMATS)})" if did_you_mean(name, FORMATS) else ""))


def _report_file(text: str) -> tuple[str, str]:
    name, _, file = text.partition(":")
    if name not in FORMATS or not file:
        hint = did_you_mean(name, FORMATS)
        raise argparse.ArgumentTypeError(f"{text!r} is not FMT:FILE with FMT one of {', '.join(sorted(FORMATS))}"
                                         + (f" ({hint})" if hint else ""))
    return name, file


_RULES = "rules"


def _common(command: argparse.ArgumentParser, *, select: str = _RULES) -> argparse.ArgumentParser:
    """The arguments every command that reads records shares, so that they mean the same everywhere
    (ruff's names where ruff has one)."""
    command.add_argument("paths", nargs="*", metavar="PATH",
                         help="files or folders (default: records/ beside the config file, and limits/ for "
                              "check, report and baseline)")
    command.add_argument("--today", type=_date, help="the date review dates are measured against (default: today)")
    command.add_argument("--config", type=Path, help="config file (default: medlint.toml or pyproject.toml)")
    command.add_argument("--select", type=_csv, action="extend",
                         help=f"only these {select} (codes, names, prefixes, families), comma-separated; repeatable")
    command.add_argument("--ignore", type=_csv, action="extend",
                         help=f"skip these {select}, comma-separated; repeatable")
    command.add_argument("--jobs", "-j", type=int, help="worker processes (default: all cores, for many records)")
    command.add_argument("--no-cache", action="store_true", help="lint every file afresh; read and write no cache")
    command.add_argument("--cache-dir", type=Path, help="where results are cached (default: ~/.cache/medlint, "
                                                        "or `cache-dir` in the config)")
    command.add_argument("--quiet", "-q", action="store_true",
                         help="print the findings only: no summary or progress")
    return command


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="medlint", description="Lint drug-information records before they ship.")
    parser.add_argument("--version", action="version", version=f"medlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    check = _common(sub.add_parser("check", help="check records and report findings"))
    check.set_defaults(renamed=[])
    check.add_argument("--output-format", "--format", dest="output_format", default="text",
                       type=_stdout_format, action=_OutputFormat, metavar="FMT",
                       help=f"the format of the report ({', '.join(sorted(FORMATS))}; default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--report", action="append", default=[], type=_report_file, metavar="FMT:FILE",
                       help="also write format FMT to FILE (`-`: standard output) from the same run; repeatable")
    check.add_argument("--strict", action="store_true", help="warnings fail the run too")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are errors (a report, "
                                                                "not a gate); usage errors still exit 2")
    check.add_argument("--statistics", action="store_true", help="count the findings by rule instead of listing them")
    check.add_argument("--show-fixes", action="store_true", help="under each fixable finding, show what the fix does")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the text report (default: auto: on a terminal, unless NO_COLOR is set)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes first (as `medlint fix`), then check")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix: apply fixes that may change meaning too")
    check.add_argument("--baseline", type=Path, metavar="FILE",
                       help="fail only on findings that FILE (written by `medlint baseline`) does not accept "
                            "(default: `baseline` in the config)")
    check.add_argument("--include-suppressed", action="store_true",
                       help="SARIF: list the findings the baseline accepts too, as suppressed results")
    check.add_argument("--changed-since", metavar="REV",
                       help="check only records changed since the git revision REV (with their drug folders), "
                            "and flag clinical changes made without a new review")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="with PATH `-`: lint standard input as the file PATH (for editors)")

    accept = _common(sub.add_parser("baseline", help="accept today's findings: a baseline for `check --baseline`"))
    accept.add_argument("--output", "-o", metavar="FILE",
                        help="the baseline file to write (default: `baseline` in the config, else "
                             "medlint-baseline.json)")

    listing = sub.add_parser("rules", help="list every rule")
    listing.add_argument("--output-format", "--format", dest="output_format", choices=("text", "json", "markdown"),
                         default="text", metavar="FMT", help="text, json or markdown (default: text)")

    listing.add_argument("--config", type=Path, help="the config file, for its house rules (default: discovered)")
    explain = sub.add_parser("explain", help="print the docs of one rule")
    explain.add_argument("rule", help="a code (ML301, house/plain-words) or name (error-prone-unit)")
    explain.add_argument("--config", type=Path, help="the config file, for its house rules (default: discovered)")
    tested = sub.add_parser("test-styles", help="check that each house rule's Example triggers it and its Use "
                                                "instead does not")
    tested.add_argument("--config", type=Path, help="the config file (default: discovered)")

    repair = _common(sub.add_parser("fix", help="apply safe automatic fixes to records"), select="rules' fixes")
    repair.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    repair.add_argument("--check", action="store_true", help="write nothing; exit 1 when fixes are pending")
    repair.add_argument("--unsafe-fixes", action="store_true", help="apply fixes that may change meaning too")
    report = _common(sub.add_parser("report", help="write the editors' report: findings, review queue and charts"))
    report.add_argument("--output-format", "--format", dest="output_format", default="html",
                        choices=sorted(EDITORS_FORMATS), metavar="FMT",
                        help="html (one self-contained page), markdown, or csv (the review queue); default: html")
    report.add_argument("--output", "--out", "-o", dest="out", metavar="FILE",
                        help="write the report to FILE (`-`: stdout); required for html, markdown and csv go to "
                             "stdout without it")
    report.add_argument("--baseline", type=Path, metavar="FILE",
                        help="leave out the findings that FILE (written by `medlint baseline`) accepts, as "
                             "`check --baseline` does; the report says how many (default: `baseline` in the config)")
    report.add_argument("--link", metavar="TEMPLATE",
                        help="where `path:line` links point, with {path} and {line} placeholders, e.g. "
                             "https://github.com/ORG/REPO/blob/main/{path}#L{line} (default: the file, "
                             "relative to the report)")
    report.add_argument("--history", type=_weeks, metavar="WEEKS",
                        help="also show findings and reviews due week by week over the last WEEKS (e.g. 12w), read "
                             "from the git history of the repository the records are in")
    _editor_commands(sub)
    return parser


def _editor_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    """`lsp`, `schema` and `new`: what authors use in their editor (docs/editors.md)."""
    server = sub.add_parser("lsp", help="run the language server for editors, over stdio (needs medlint[lsp])")
    server.add_argument("--today", type=_date, help="the date review dates are measured against (default: today)")
    server.add_argument("--config", type=Path, help="config file, relative to each workspace folder "
                                                    "(default: medlint.toml or pyproject.toml, found as `check` does)")
    server.add_argument("--baseline", type=Path, metavar="FILE",
                        help="hide the findings FILE accepts, as `check --baseline`; relative to each workspace folder")
    server.add_argument("--stdio", action="store_true",
                        help="accepted for clients that pass it; stdio is the only transport")
    printed = sub.add_parser("schema", help="print the record schema, for yaml-language-server and other tools")
    printed.add_argument("--path", action="store_true", help="print where the schema file is instead of its text")
    printed.add_argument("--config", type=Path, help="config file (default: medlint.toml or pyproject.toml)")
    new = sub.add_parser("new", help="write a skeleton record to fill in, at records/DRUG/INDICATION.yaml")
    new.add_argument("id", metavar="DRUG/INDICATION", help="the new record's id, e.g. ibuprofen/fever")
    new.add_argument("--from", dest="copy_from", metavar="ID", help="copy the drug names of this existing record")
    new.add_argument("--today", type=_date, help="the review date to write (default: today)")
    new.add_argument("--config", type=Path, help="config file (default: medlint.toml or pyproject.toml)")


def _paths(args: argparse.Namespace, cfg: config_mod.Config, *, tables: bool = True) -> list[str]:
    """The PATHS given, or `records/` beside the config file (so `medlint check` works from any subfolder)
    and, for the commands that check, the dose-limit tables beside it, so that a broken table fails the gate
    instead of silently switching its drug's dose checks off."""
    if args.paths:
        return list(args.paths)
    limits = [runner.display_path(cfg.limits_folder)] if tables and cfg.limits_folder.is_dir() else []
    return [runner.display_path(cfg.root / "records"), *limits]


def _baseline(args: argparse.Namespace, cfg: config_mod.Config) -> Path | None:
    if args.baseline is not None:
        return Path(args.baseline)
    return Path(runner.display_path(Path(cfg.baseline))) if cfg.baseline else None


def _load_config(args: argparse.Namespace) -> config_mod.Config:
    cfg = config_mod.load(args.config, select=getattr(args, "select", None), ignore=getattr(args, "ignore", None))
    return cfg if cfg.source != "defaults" else dataclasses.replace(cfg, root=_project_root(cfg.root))


def _project_root(here: Path) -> Path:
    """Without a config file, the folder of the nearest `records/` here or above, within the git repository,
    so that `medlint check` works from any subfolder and reads the dose-limit tables beside those records."""
    for folder in (here, *here.parents):
        if (folder / "records").is_dir():
            return folder
        if (folder / ".git").exists():
            break
    return here


def _progress(args: argparse.Namespace) -> terminal.Progress | None:
    return None if args.quiet or not terminal.wants_progress(sys.stderr) else terminal.Progress(sys.stderr)


def _stdin(args: argparse.Namespace, cfg: config_mod.Config) -> tuple[list[str], bytes | None]:
    """`-` as the one PATH: standard input, linted as --stdin-filename (or as `-`, whose id is unchecked)."""
    if args.paths != ["-"]:
        if "-" in args.paths or args.stdin_filename:
            raise UsageError("standard input is read when `-` is the only PATH: "
                             "`medlint check - --stdin-filename records/DRUG/INDICATION.yaml`")
        return _paths(args, cfg), None
    if args.changed_since:
        raise UsageError("--changed-since compares files in git; it does not combine with standard input")
    data = sys.stdin.buffer.read(cfg.max_file_bytes + 1)
    return [args.stdin_filename or "-"], data


def cmd_check(args: argparse.Namespace) -> int:
    cfg = _load_config(args)
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
        from . import fix

        plans = _fix(args, cfg, Run(today), write_files=True)
        if not args.quiet:
            print(fix.summary(plans, written=True, unsafe=args.unsafe_fixes), end="", file=sys.stderr)
    progress = _progress(args)
    try:
        result = gate.run(paths, cfg, today, jobs=args.jobs, cache=_cache(args, cfg, today),
                            changed_since=args.changed_since, baseline_file=_baseline(args, cfg), stdin=stdin,
                            progress=progress)
    finally:
        if progress is not None:
            progress.close()
    outcome = result.outcome
    if result.missing:
        raise UsageError(f"no such file or folder: {', '.join(result.missing)}")
    if result.selection is not None and not args.quiet:
        print(visible(result.selection.describe(args.changed_since)), file=sys.stderr)
    elif outcome.files == 0 and not args.quiet:
        print(f"medlint: no records (*.yaml) found in {visible(', '.join(paths))}", file=sys.stderr)
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
            _emit(render(report if to_stdout else report._replace(color=False)), file)
        except OSError as exc:
            raise UsageError(f"cannot write {file}: {exc.strerror or exc}") from None
        if name == "sarif" and not args.quiet:
            from .report import sarif  # deferred, as FORMATS defers every writer but text

            notice = sarif.cap_notice(report)
            if notice:
                print(f"medlint: warning: {notice}", file=sys.stderr)


def cmd_baseline(args: argparse.Namespace) -> int:
    from . import baseline

    cfg = _load_config(args)
    today = args.today or dt.date.today()
    progress = _progress(args)
    try:
        outcome, missing = runner.check(_paths(args, cfg), cfg, Run(today), args.jobs, _cache(args, cfg, today),
                                        progress=progress)
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


def _cache(args: argparse.Namespace, cfg: config_mod.Config, today: dt.date) -> cache_mod.Cache | None:
    if getattr(args, "no_cache", False):
        return None
    directory = getattr(args, "cache_dir", None) or (Path(cfg.cache_dir) if cfg.cache_dir else cache_mod.default_dir())
    schema_bytes = Path(cfg.schema).read_bytes() if cfg.schema else schema_mod.packaged_schema_path().read_bytes()
    # the dose-limit tables' folder as this run shows it: messages about a record's table name it
    shown = (str(cfg.root), runner.display_path(cfg.limits_folder))
    return cache_mod.Cache(directory, cache_mod.run_key(cfg.key(), schema_bytes, today, shown))


def _exit_code(report: Report, strict: bool) -> int:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    # stale baseline entries are warning-level: --strict fails on them, so a fix also shrinks the baseline
    stale = strict and report.baseline is not None and bool(report.baseline.stale)
    return EXIT_FINDINGS if stale or any(f.severity in failing for f in report.active) else EXIT_OK


def _emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from . import files

        files.write_text(Path(output), text)
    else:
        sys.stdout.write(text)


def cmd_rules(args: argparse.Namespace) -> int:
    listed = _load_config(args).rules.registry.rules  # the project's house rules, Vale rules and plugins too
    if args.output_format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.value,
                           "fixable": r.fixable, "summary": r.summary,
                           "options": {o.name: o.default for o in r.option_list()},
                           "default_enabled": r.default_enabled} for r in listed], indent=2))
    elif args.output_format == "markdown":
        from . import docs

        print(docs.reference_markdown(listed), end="")
    else:
        width, code_width = max(len(r.name) for r in listed), max(len(r.code) for r in listed)
        for r in listed:
            print(f"{r.code:<{code_width}}  {r.name:<{width}}  {r.severity.value:<7}  {'fix' if r.fixable else '   '}  "
                  f"{r.summary}" + ("" if r.default_enabled else f" (opt-in: --select {r.family})"))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    registry = _load_config(args).rules.registry
    rule = registry.lookup(args.rule)
    if rule is None:
        hint = registry.suggestion(args.rule)
        raise UsageError(f"no rule is called {args.rule!r}; " + (hint or "`medlint rules` lists them"))
    from . import docs

    print(docs.rule_markdown(rule), end="")
    return EXIT_OK


def cmd_test_styles(args: argparse.Namespace) -> int:
    """Each of the project's own rules (house rules, plugins) against its docs, as tests/rules/test_docs.py
    tests the built-in rules: exit 1 when an Example does not trigger its rule or a Use instead does."""
    from .styles import examples

    cfg = _load_config(args)
    extra = cfg.rules.registry.rules[len(rules.BUILTIN.rules):]
    if not extra:
        print("no house rules, Vale rules or plugin rules to test (see docs/house-rules.md)")
        return EXIT_OK
    today = dt.date.today()
    outcomes = [examples.check_docs(rule, cfg, today) for rule in extra]
    for outcome in outcomes:
        status = "ok" if outcome.tested and not outcome.problems else "FAIL" if outcome.problems else "--"
        detail = "; ".join(outcome.problems) if outcome.problems else "" if outcome.tested else \
            "no examples to test (a Vale rule)"
        print(f"{status:<4}  {outcome.rule.code}" + (f": {visible(detail)}" if detail else ""))
    failed = sum(1 for outcome in outcomes if outcome.problems)
    passed = sum(1 for outcome in outcomes if outcome.tested and not outcome.problems)
    untested = len(outcomes) - failed - passed
    print(f"{passed} passed, {failed} failed" + (f", {untested} without examples" if untested else ""))
    return EXIT_FINDINGS if failed else EXIT_OK


def _fix(args: argparse.Namespace, cfg: config_mod.Config, run: Run, write_files: bool) -> list[fix.Plan]:
    from . import fix  # deferred: it brings ruamel.yaml, which only fixing needs

    plans, missing = fix.fix_paths(_paths(args, cfg, tables=False), cfg, run, unsafe=args.unsafe_fixes,
                                   write_files=write_files)
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return plans


def cmd_fix(args: argparse.Namespace) -> int:
    from . import fix

    cfg = _load_config(args)
    preview = args.check or args.diff
    plans = _fix(args, cfg, Run(args.today or dt.date.today()), write_files=not preview)
    if not plans and not args.quiet:
        print(f"medlint: no records (*.yaml) found in {visible(', '.join(_paths(args, cfg, tables=False)))}",
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
    cfg = _load_config(args)
    today = args.today or dt.date.today()
    paths = _paths(args, cfg)
    progress = _progress(args)
    cache = _cache(args, cfg, today)
    try:
        result = gate.run(paths, cfg, today, jobs=args.jobs, cache=cache,
                            baseline_file=_baseline(args, cfg), summaries=True, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    outcome = result.outcome
    if result.missing:
        raise UsageError(f"no such file or folder: {', '.join(result.missing)}")
    if outcome.files == 0 and not args.quiet:
        print(f"medlint: no records (*.yaml) found in {visible(', '.join(paths))}", file=sys.stderr)
    report = Report(outcome.findings, outcome.files, outcome.records, today, False, __version__, result.baseline,
                    links, rules=cfg.rules.registry)
    weeks: Sequence[history.Week] = ()
    if args.history:
        from . import history

        weeks = history.weekly(paths, cfg, today, args.history, cache)
    editors = EditorsReport(report, outcome.summaries, ", ".join(paths), weeks)
    try:  # `--out site/report.html` in CI: files.write_text creates the folder
        _emit(EDITORS_FORMATS[args.output_format](editors), args.out)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    if args.out and args.out != "-" and not args.quiet:
        print(f"medlint: wrote the {args.output_format} report of {outcome.records} records to {visible(args.out)}",
              file=sys.stderr)
    return EXIT_OK  # a report informs; `medlint check` is the gate


def cmd_lsp(args: argparse.Namespace) -> int:
    try:  # deferred: pygls costs ~0.6 s to import, which no other command pays
        from .lsp import analysis, server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        raise UsageError("`medlint lsp` needs the language-server packages: pip install 'medlint[lsp]'") from None
    server.create(analysis.Settings(args.today, args.config, args.baseline)).start_io()
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config)
    path = Path(cfg.schema) if cfg.schema else schema_mod.packaged_schema_path()
    if args.path:
        print(visible(str(path)))  # a config names the file: its name may hold anything
        return EXIT_OK
    schema_mod.load_schema(path)  # valid JSON: C0 controls only as escapes, the others escaped below
    sys.stdout.write(json_source(path.read_text(encoding="utf-8")))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from . import scaffold

    cfg = _load_config(args)
    path = scaffold.new(args.id, Path(runner.display_path(cfg.root / "records")), args.today or dt.date.today(),
                        cfg, args.copy_from)
    print(f"medlint: wrote {path}; replace its <placeholders>, then `medlint check {path}` lists those left")
    return EXIT_OK


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "report": cmd_report,
    "fix": cmd_fix,
    "baseline": cmd_baseline,
    "lsp": cmd_lsp,
    "schema": cmd_schema,
    "new": cmd_new,
    "test-styles": cmd_test_styles,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:  # said by the command's own parser, which knows the options to suggest
            _subparsers(parser)[args.command].error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as exc:  # argparse already printed the usage message
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"medlint: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
