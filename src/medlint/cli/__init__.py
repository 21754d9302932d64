"""The command line: parse arguments, call the core, print. No linting logic lives here.

`parser.py` declares the arguments; `records.py` runs the commands that lint records (check, baseline, fix,
report), `rule_docs.py` the ones about rules (rules, explain, test-styles), `editors.py` the editors' ones (lsp,
schema, new); `common.py` is what they share. Only `main` and COMMANDS live here.
"""
from __future__ import annotations

from .. import patterncache

patterncache.install()  # first: the imports below compile ~130 patterns, kept between runs (medlint.patterncache)

import argparse  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402

from ..errors import UserError  # noqa: E402
from ..escaping import visible  # noqa: E402
from . import parser as parser_mod  # noqa: E402
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError  # noqa: E402
from .editors import cmd_lsp, cmd_new, cmd_schema  # noqa: E402
from .records import cmd_baseline, cmd_check, cmd_fix, cmd_report  # noqa: E402
from .rule_docs import cmd_explain, cmd_rules, cmd_test_styles  # noqa: E402

__all__ = ["COMMANDS", "EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "UsageError", "main"]


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
    parser = parser_mod.build()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:  # said by the command's own parser, which knows the options to suggest
            parser_mod.subparsers(parser)[args.command].error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as exc:  # argparse already printed the usage message
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"medlint: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
