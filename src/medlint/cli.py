"""The command line: parse arguments, call the core, print. No linting logic lives here."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from . import (
    __version__,
    baseline,
    cache as cache_mod,
    changes,
    config as config_mod,
    docs,
    files,
    gate,
    rules,
    runner,
    schema as schema_mod,
)
from .engine import Run
from .model import Severity
from .report import EDITORS_FORMATS, FORMATS, EditorsReport, Report, markdown
from .schema import SchemaError

if TYPE_CHECKING:
    from . import fix

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _output_format(text: str) -> tuple[str, str]:
    name, _, file = text.partition(":")
    if name not in FORMATS or not file:
        raise argparse.ArgumentTypeError(f"{text!r} is not FMT:FILE with FMT one of {', '.join(sorted(FORMATS))}")
    return name, file


_RULES = "rules"
DEFAULT_PATHS = ["records"]


def _checked(args: argparse.Namespace, cfg: config_mod.Config) -> list[str]:
    """The paths to check: as given, or by default `records/` and the dose-limit tables beside it, so that a
    broken table fails the gate instead of silently switching its drug's dose checks off."""
    if args.paths is not DEFAULT_PATHS or not cfg.limits_folder.is_dir():
        return list(args.paths)
    return [*DEFAULT_PATHS, runner.display_path(cfg.limits_folder)]


def _common(command: argparse.ArgumentParser, *, select: str = "", jobs: bool = False,
            cache: bool = False) -> argparse.ArgumentParser:
    """The arguments every command that reads records shares, so that they mean the same everywhere."""
    command.add_argument("paths", nargs="*", default=DEFAULT_PATHS,
                         help="files or folders (default: records/, and limits/ for check, report and baseline)")
    command.add_argument("--today", type=_date, help="the date review dates are measured against (default: today)")
    command.add_argument("--config", type=Path, help="config file (default: medlint.toml or pyproject.toml)")
    if select:
        command.add_argument("--select", type=_csv,
                             help=f"only these {select} (codes, names, prefixes), comma-separated")
        command.add_argument("--ignore", type=_csv, help=f"skip these {select}, comma-separated")
    if jobs:
        command.add_argument("--jobs", "-j", type=int, help="worker processes (default: all cores, for many records)")
    if cache:
        command.add_argument("--no-cache", action="store_true", help="lint every file afresh; read and write no cache")
    return command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medlint", description="Lint drug-information records before they ship.")
    parser.add_argument("--version", action="version", version=f"medlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = _common(sub.add_parser("check", help="check records and report findings"), select=_RULES, jobs=True,
                    cache=True)
    check.add_argument("--format", default="text", choices=sorted(FORMATS), help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--strict", action="store_true", help="warnings fail the run too")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--cache-dir", type=Path, help="where results are cached (default: ~/.cache/medlint, "
                                                      "or `cache-dir` in the config)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes first (as `medlint fix`), then check")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix: apply fixes that may change meaning too")
    check.add_argument("--output-format", action="append", default=[], type=_output_format, metavar="FMT:FILE",
                       help=f"also write format FMT ({', '.join(sorted(FORMATS))}) to FILE (`-`: stdout) from the "
                            "same run; repeatable")
    check.add_argument("--baseline", type=Path, metavar="FILE",
                       help="fail only on findings that FILE (written by `medlint baseline`) does not accept")
    check.add_argument("--changed-since", metavar="REV",
                       help="check only records changed since the git revision REV (with their drug folders), "
                            "and flag clinical changes made without a new review")

    accept = _common(sub.add_parser("baseline", help="accept today's findings: a baseline for `check --baseline`"),
                     select=_RULES, jobs=True)
    accept.add_argument("--output", "-o", metavar="FILE", default="medlint-baseline.json",
                        help="the baseline file to write (default: medlint-baseline.json)")

    listing = sub.add_parser("rules", help="list every rule")
    listing.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    explain = sub.add_parser("explain", help="print the docs of one rule")
    explain.add_argument("rule", help="a code (ML301) or name (error-prone-unit)")

    repair = _common(sub.add_parser("fix", help="apply safe automatic fixes to records"), select="rules' fixes")
    repair.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    repair.add_argument("--check", action="store_true", help="write nothing; exit 1 when fixes are pending")
    repair.add_argument("--unsafe-fixes", action="store_true", help="apply fixes that may change meaning too")
    report = _common(sub.add_parser("report", help="write the editors' report: findings, review queue and charts"),
                     cache=True)
    report.add_argument("--format", default="html", choices=sorted(EDITORS_FORMATS),
                        help="html (one self-contained page), markdown, or csv (the review queue); default: html")
    report.add_argument("--out", "-o", metavar="FILE",
                        help="write the report to FILE (`-`: stdout); required for html, markdown and csv go to "
                             "stdout without it")
    report.add_argument("--baseline", type=Path, metavar="FILE",
                        help="leave out the findings that FILE (written by `medlint baseline`) accepts, as "
                             "`check --baseline` does; the report says how many")
    report.add_argument("--link", metavar="TEMPLATE",
                        help="where `path:line` links point, with {path} and {line} placeholders, e.g. "
                             "https://github.com/ORG/REPO/blob/main/{path}#L{line} (default: the file, "
                             "relative to the report)")
    _editor_commands(sub)
    return parser


def _editor_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def cmd_check(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, select=args.select, ignore=args.ignore)
    today = args.today or dt.date.today()
    if args.unsafe_fixes and not args.fix:
        raise UsageError("--unsafe-fixes applies fixes, so it needs --fix")
    if args.fix and args.changed_since:  # --fix would rewrite every record, not only the changed ones
        raise UsageError("--fix does not combine with --changed-since; "
                         "run `medlint fix FILES` on the files you changed")
    if args.fix:
        from . import fix

        plans = _fix(args, cfg, Run(today), write_files=True)
        print(fix.summary(plans, written=True, unsafe=args.unsafe_fixes), end="", file=sys.stderr)
    result = gate.check(_checked(args, cfg), cfg, today, jobs=args.jobs, cache=_cache(args, cfg, today),
                        changed_since=args.changed_since, baseline_file=args.baseline)
    outcome = result.outcome
    if result.missing:
        raise UsageError(f"no such file or folder: {', '.join(result.missing)}")
    if result.selection is not None:
        print(result.selection.describe(args.changed_since), file=sys.stderr)
    elif outcome.files == 0:
        print(f"medlint: no records (*.yaml) found in {', '.join(args.paths)}", file=sys.stderr)
    report = Report(outcome.findings, outcome.files, outcome.records, today,
                    _color(args.color, sys.stdout) and not args.output, __version__,
                    result.baseline, markdown.ci_link_template(os.environ), cfg.docs_url)
    for name, file in [(args.format, args.output), *args.output_format]:
        try:
            _emit(FORMATS[name](report if file is None else report._replace(color=False)), file)
        except OSError as exc:
            raise UsageError(f"cannot write {file}: {exc.strerror or exc}") from None
    return _exit_code(report, args.strict)


def cmd_baseline(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, select=args.select, ignore=args.ignore)
    outcome, missing = runner.check(_checked(args, cfg), cfg, Run(args.today or dt.date.today()), args.jobs,
                                    _cache(args, cfg, args.today or dt.date.today()))
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    entries = baseline.entries(outcome.findings, cfg.root)
    baseline.write(Path(args.output), entries)
    accepted = sum(entry.occurrences for entry in entries)
    print(f"medlint: wrote {args.output}: {accepted} finding(s) in {outcome.files} file(s) accepted "
          f"as {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}; commit it and run "
          f"`medlint check --baseline {args.output}`")
    return EXIT_OK


def _cache(args: argparse.Namespace, cfg: config_mod.Config, today: dt.date) -> cache_mod.Cache | None:
    if getattr(args, "no_cache", False):
        return None
    directory = getattr(args, "cache_dir", None) or (cfg.root / cfg.cache_dir if cfg.cache_dir else
                                                     cache_mod.default_dir())
    schema_bytes = Path(cfg.schema).read_bytes() if cfg.schema else schema_mod.packaged_schema_path().read_bytes()
    return cache_mod.Cache(directory, cache_mod.run_key(cfg.key(), schema_bytes, today, (str(cfg.root),)))


def _exit_code(report: Report, strict: bool) -> int:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    # stale baseline entries are warning-level: --strict fails on them, so a fix also shrinks the baseline
    stale = strict and report.baseline is not None and bool(report.baseline.stale)
    return EXIT_FINDINGS if stale or any(f.severity in failing for f in report.active) else EXIT_OK


def _emit(text: str, output: str | None) -> None:
    if output and output != "-":
        files.write_text(Path(output), text)
    else:
        sys.stdout.write(text)


def cmd_rules(args: argparse.Namespace) -> int:
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.value,
                           "fixable": r.fixable, "summary": r.summary,
                           "options": {k: o.default for k, o in r.options.items()}} for r in rules.RULES], indent=2))
    elif args.format == "markdown":
        print(docs.reference_markdown(rules.RULES), end="")
    else:
        width = max(len(r.name) for r in rules.RULES)
        for r in rules.RULES:
            print(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {'fix' if r.fixable else '   '}  {r.summary}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    rule = rules.lookup(args.rule)
    if rule is None:
        raise UsageError(f"no rule is called {args.rule!r}; `medlint rules` lists them")
    print(docs.rule_markdown(rule), end="")
    return EXIT_OK


def _fix(args: argparse.Namespace, cfg: config_mod.Config, run: Run, write_files: bool) -> list[fix.Plan]:
    from . import fix  # deferred: it brings ruamel.yaml, which only fixing needs

    plans, missing = fix.fix_paths(args.paths, cfg, run, unsafe=args.unsafe_fixes, write_files=write_files)
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return plans


def cmd_fix(args: argparse.Namespace) -> int:
    from . import fix

    cfg = config_mod.load(args.config, select=args.select, ignore=args.ignore)
    preview = args.check or args.diff
    plans = _fix(args, cfg, Run(args.today or dt.date.today()), write_files=not preview)
    if not plans:
        print(f"medlint: no records (*.yaml) found in {', '.join(args.paths)}", file=sys.stderr)
    if args.diff:
        sys.stdout.write("".join(fix.diff(plan, escape=sys.stdout.isatty()) for plan in plans))
    # with --diff, stdout is the patch alone, so that it can be piped to `git apply`
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
    if args.format == "html" and not args.out:
        raise UsageError("the html report is a file: give --out FILE (markdown and csv can go to stdout)")
    links = _report_links(args)
    cfg = config_mod.load(args.config)
    today = args.today or dt.date.today()
    result = gate.check(_checked(args, cfg), cfg, today, cache=_cache(args, cfg, today),
                        baseline_file=args.baseline, summaries=True)
    outcome = result.outcome
    if result.missing:
        raise UsageError(f"no such file or folder: {', '.join(result.missing)}")
    if outcome.files == 0:
        print(f"medlint: no records (*.yaml) found in {', '.join(args.paths)}", file=sys.stderr)
    report = Report(outcome.findings, outcome.files, outcome.records, today, False, __version__, result.baseline,
                    links)
    editors = EditorsReport(report, outcome.summaries, ", ".join(args.paths))
    try:
        if args.out and args.out != "-":  # `--out site/report.html` in CI: the folder is the report's, create it
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        _emit(EDITORS_FORMATS[args.format](editors), args.out)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    if args.out and args.out != "-":
        print(f"medlint: wrote the {args.format} report of {outcome.records} records to {args.out}", file=sys.stderr)
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
        print(path)
        return EXIT_OK
    schema_mod.load_schema(path)  # valid JSON holds no terminal control characters: the text is safe to print
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from . import scaffold

    cfg = config_mod.load(args.config)
    try:
        path = scaffold.new(args.id, Path("records"), args.today or dt.date.today(), cfg, args.copy_from)
    except scaffold.ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(f"medlint: wrote {path}; replace its <placeholders>, then `medlint check {path}` lists those left")
    return EXIT_OK


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
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except (UsageError, config_mod.ConfigError, SchemaError, baseline.BaselineError, changes.GitError) as exc:
        print(f"medlint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
