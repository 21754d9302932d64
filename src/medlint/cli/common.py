"""What the commands share: exit codes, the usage error, and the paths, config, cache, progress and output
every command that reads records sets up the same way."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

from .. import cache as cache_mod, config as config_mod, runner, schema as schema_mod, terminal
from ..errors import UserError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(UserError):
    """A command line that cannot be run as given."""


def paths(args: argparse.Namespace, cfg: config_mod.Config, *, tables: bool = True) -> list[str]:
    """The PATHS given, or `records/` beside the config file (so `medlint check` works from any subfolder)
    and, for the commands that check, the dose-limit tables beside it, so that a broken table fails the gate
    instead of silently switching its drug's dose checks off."""
    if args.paths:
        return list(args.paths)
    limits = [runner.display_path(cfg.limits_folder)] if tables and cfg.limits_folder.is_dir() else []
    return [runner.display_path(cfg.root / "records"), *limits]


def baseline(args: argparse.Namespace, cfg: config_mod.Config) -> Path | None:
    if args.baseline is not None:
        return Path(args.baseline)
    return Path(runner.display_path(Path(cfg.baseline))) if cfg.baseline else None


def load_config(args: argparse.Namespace) -> config_mod.Config:
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


def progress(args: argparse.Namespace) -> terminal.Progress | None:
    return None if args.quiet or not terminal.wants_progress(sys.stderr) else terminal.Progress(sys.stderr)


def cache(args: argparse.Namespace, cfg: config_mod.Config, today: dt.date) -> cache_mod.Cache | None:
    if getattr(args, "no_cache", False):
        return None
    directory = getattr(args, "cache_dir", None) or (Path(cfg.cache_dir) if cfg.cache_dir else cache_mod.default_dir())
    schema_bytes = Path(cfg.schema).read_bytes() if cfg.schema else schema_mod.packaged_schema_path().read_bytes()
    # the dose-limit tables' folder as this run shows it: messages about a record's table name it
    shown = (str(cfg.root), runner.display_path(cfg.limits_folder))
    return cache_mod.Cache(directory, cache_mod.run_key(cfg.key(), schema_bytes, today, shown))


def emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from .. import files

        files.write_text(Path(output), text)
    else:
        sys.stdout.write(text)
