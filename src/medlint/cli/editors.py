"""What authors use in their editor (docs/editors.md): lsp, schema and new."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .. import config as config_mod, runner, schema as schema_mod
from ..escaping import json_source, visible
from . import common
from .common import EXIT_OK, UsageError


def cmd_lsp(args: argparse.Namespace) -> int:
    try:  # deferred: pygls costs ~0.6 s to import, which no other command pays
        from ..lsp import analysis, server
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
    from .. import scaffold

    cfg = common.load_config(args)
    path = scaffold.new(args.id, Path(runner.display_path(cfg.root / "records")), args.today or dt.date.today(),
                        cfg, args.copy_from)
    print(f"medlint: wrote {path}; replace its <placeholders>, then `medlint check {path}` lists those left")
    return EXIT_OK
