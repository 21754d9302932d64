"""The command line's arguments: one argparse parser, its subcommands and their argument types."""
from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..report import EDITORS_FORMATS, FORMATS
from ..suggest import did_you_mean


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _weeks(text: str) -> int:
    from .. import history  # git and its subprocesses: only `report --history` needs them

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


def build() -> argparse.ArgumentParser:
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


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)
