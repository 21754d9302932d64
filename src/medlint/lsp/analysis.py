"""One buffer linted exactly as `medlint check` lints the file: same config, rules, drug folder, dose-limit
table and baseline.

The buffer replaces the file's bytes; everything else comes from disk as the CLI reads it: the config
found from the workspace folder, the other records of the drug folder for the cross-record rules, the
drug's dose-limit table (limits/<drug>.yaml) for the limits rules, the baseline. Paths are made relative
to the workspace folder, as `medlint check` run there shows them, so that messages naming other records
and tables read the same.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from .. import baseline as baseline_mod, config as config_mod, discovery, engine, load, runner
from ..cache import Stat, stat
from ..model import Finding
from ..record import line_starts_of
from ..schema import SchemaError
from ..styles import StyleError

CONFIG_NAMES = ("pyproject.toml", "medlint.toml")


class Settings(NamedTuple):
    """What `medlint lsp` was started with; relative paths are relative to each workspace folder."""

    today: dt.date | None = None  # None: the current date at each check
    config: Path | None = None  # as `--config`; None: discovered as the CLI does
    baseline: Path | None = None  # as `check --baseline`


class Analysis(NamedTuple):
    buffer: str  # the editor's text
    text: str  # what the checker read: the buffer without a leading byte-order mark
    shift: int  # characters of the buffer before `text` (1 when a byte-order mark was dropped)
    display: str  # the path as `medlint check` shows it from the workspace folder
    loaded: load.Source
    findings: tuple[Finding, ...]  # what `medlint check` reports: neither suppressed nor baselined
    config: config_mod.Config | None
    run: engine.Run
    folder: Path
    error: str = ""  # why nothing was checked (a bad config or baseline), for the author to correct

    @property
    def line_starts(self) -> tuple[int, ...]:
        return line_starts_of(self.text)


Stamp = tuple[str, Stat | None]  # a file's path and stat: it is read again only when they change


class Broken(NamedTuple):
    """A rule file (house rules, Vale styles) that does not compile, as `medlint check` reports it (exit 2)."""

    error: StyleError
    kept: bool  # the last rules that compiled still check records until it is fixed; False: there were none


class Project:
    """Configs, rule files and baselines as the CLI would read them now, re-read only when their files change,
    so that an edit to pyproject.toml or to a rule file takes effect at the next check without a restart.

    A rule file that stops compiling does not stop the checks: the last rules that compiled go on checking
    (an author saving a rule half-written would otherwise see every open record lose its findings), and
    `broken` says what is wrong until the file is fixed, for the server to show."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._configs: dict[Path, tuple[tuple[Stamp, ...], config_mod.Config | config_mod.ConfigError]] = {}
        self._baselines: dict[Path, tuple[Stamp, list[baseline_mod.BaselineEntry] | baseline_mod.BaselineError]] = {}
        self.broken: dict[Path, Broken] = {}  # by workspace folder

    def config_path(self, folder: Path) -> Path | None:
        explicit = self.settings.config
        return (folder / explicit) if explicit is not None else config_mod.find(folder)

    def style_folders(self, folder: Path) -> tuple[Path, ...]:
        return config_mod.style_folders(self.config_path(folder), folder)

    def config(self, folder: Path) -> config_mod.Config:
        path = self.config_path(folder)
        stamp = ((str(path), stat(path) if path else None), *rule_stamps(self.style_folders(folder)))
        held = self._configs.get(folder)
        if held is None or held[0] != stamp:
            loaded: config_mod.Config | config_mod.ConfigError
            try:
                loaded = config_mod.load(path, start=folder)
                self.broken.pop(folder, None)
            except StyleError as exc:
                last = held[1] if held is not None else exc
                loaded = last if isinstance(last, config_mod.Config) else exc
                self.broken[folder] = Broken(exc, loaded is not exc)
            except config_mod.ConfigError as exc:  # the config itself: the author is shown it on each record
                loaded = exc
                self.broken.pop(folder, None)
            held = (stamp, loaded)
            self._configs[folder] = held
        if isinstance(held[1], config_mod.ConfigError):
            raise held[1]
        return held[1]

    def baseline_path(self, folder: Path) -> Path | None:
        """`--baseline`, else the config's `baseline` setting, as `medlint check` reads them."""
        if self.settings.baseline is not None:
            return folder / self.settings.baseline
        configured = self.config(folder).baseline
        return Path(configured) if configured else None

    def baseline(self, folder: Path) -> tuple[Path, list[baseline_mod.BaselineEntry]] | None:
        path = self.baseline_path(folder)
        if path is None:
            return None
        stamp = (str(path), stat(path))
        held = self._baselines.get(folder)
        if held is None or held[0] != stamp:
            try:
                held = (stamp, baseline_mod.read(path))
            except baseline_mod.BaselineError as exc:
                held = (stamp, exc)
            self._baselines[folder] = held
        if isinstance(held[1], baseline_mod.BaselineError):
            raise held[1]
        return path, held[1]


def is_record(file: Path | None) -> bool:
    """Whether the server checks a file: one below a `records/` folder, where `medlint check` looks. Editors
    send it every YAML file (workflows, configs), which are not records."""
    return file is not None and "records" in file.parts[:-1]


def folder_of(file: Path | None, folders: Sequence[Path]) -> Path:
    """Where `medlint check` would run for this file: the innermost workspace folder holding it, else the
    folder of the config that governs it, else the file's own folder."""
    if file is None:
        return folders[0] if folders else Path.cwd()
    holding = [folder for folder in folders if file.is_relative_to(folder)]
    if holding:
        return max(holding, key=lambda folder: len(folder.parts))
    found = config_mod.find(file.parent)
    return found.parent if found else file.parent


def _drugs(file: Path | None) -> set[str] | None:
    """The drugs whose dose-limit tables a check of `file` reads, as `medlint check FILE` reads them."""
    return runner._drugs([discovery.Target(file, str(file))]) if file is not None else None


def surroundings(file: Path | None, folder: Path, project: Project) -> tuple[Stamp, ...]:
    """What a check of `file` reads from disk besides the buffer (the config, the baseline, the other
    records of its drug folder, its drug's dose-limit table and the folder of tables, where one appears,
    the rule files),
    as stats: when they change, the check is stale."""
    config = project.config_path(folder)
    paths = [path for path in (config,) if path]
    with contextlib.suppress(config_mod.ConfigError):  # a bad config: its own stamp says when to look again
        paths += [path for path in (project.baseline_path(folder),) if path]
    if file is not None:
        with contextlib.suppress(OSError):
            paths += sorted(path for path in file.parent.iterdir()
                            if path.suffix in discovery.SUFFIXES and path != file)
    with contextlib.suppress(config_mod.ConfigError, OSError):  # a bad config: its own stamp says when to look again
        tables, drugs = project.config(folder).limits_folder, _drugs(file)
        paths.append(tables)
        if tables.is_dir():
            paths += sorted(path for path in tables.iterdir() if path.suffix in discovery.SUFFIXES
                            and (drugs is None or path.stem in drugs))
    return (*((str(path), stat(path)) for path in paths), *rule_stamps(project.style_folders(folder)))


def rule_stamps(folders: Sequence[Path]) -> tuple[Stamp, ...]:
    """The rule folders and every YAML file below them: a file added, changed or deleted changes them."""
    paths: list[str] = []
    for folder in folders:  # os.walk: a third of the time of Path.rglob, at each check of a record
        paths.append(str(folder))
        for parent, subfolders, names in os.walk(folder):
            subfolders.sort()
            paths += [os.path.join(parent, name) for name in sorted(names) if name.endswith((".yaml", ".yml"))]
    return tuple((path, stat(Path(path))) for path in paths)


def _source(buffer: str, file: Path | None, name: str, config: config_mod.Config) -> load.Source:
    data = buffer.encode("utf-8", "surrogatepass")  # a lone surrogate becomes bytes that ML003 reports
    if file is None:
        return load.load_text(data, name, max_bytes=config.max_file_bytes)
    targets, _ = discovery.discover([str(file)], config.root)
    target = targets[0] if targets else discovery.Target(file, discovery.display_path(file))
    if target.problem is not None:  # a symlink out of the repository: the CLI does not read it either
        return load.Source(target.display, None, (target.problem,))
    return load.load_text(data, target.display, expected=load.expected_of(file), max_bytes=config.max_file_bytes)


def analyse(buffer: str, file: Path | None, folder: Path, project: Project, name: str = "") -> Analysis:
    """Lint `buffer` as the contents of `file` (an absolute path; None for a buffer never saved, shown
    as `name`), from `folder`. Raises nothing for bad input: a config or baseline the author must
    correct comes back as `error`."""
    shift = 1 if buffer.startswith("\ufeff") else 0
    run = engine.Run(project.settings.today or dt.date.today())
    empty = load.Source(name, None, (), buffer[shift:])
    try:
        config = project.config(folder)
        accepted = project.baseline(folder)
    except (config_mod.ConfigError, baseline_mod.BaselineError, SchemaError) as exc:
        return Analysis(buffer, buffer[shift:], shift, name, empty, (), None, run, folder, str(exc))
    if file is not None and discovery.excluded(file, config.root, config.exclude):  # `medlint check` skips it too
        return Analysis(buffer, buffer[shift:], shift, name, empty, (), config, run, folder)
    try:  # the engine and the runner resolve relative paths against the working folder, as the CLI's are
        with contextlib.chdir(folder):
            source = _source(buffer, file, name or "untitled.yaml", config)
            run = run._replace(limits=runner.read_limits(config, _drugs(file))[0])
            result = engine.lint_source(source, config, run)
            context = []
            if file is not None:
                target = discovery.Target(file, source.path)
                context = runner.context_facts(runner.context_paths([target], [result], config), config, None, run)
            findings = engine.finish([result], config, run, context)
            if accepted is not None:
                findings, _ = baseline_mod.apply(findings, accepted[1], root=config.root, scope=[source.path],
                                                 file=str(accepted[0]))
    except SchemaError as exc:  # the configured schema cannot be read
        return Analysis(buffer, buffer[shift:], shift, name, empty, (), config, run, folder, str(exc))
    except OSError as exc:  # the workspace folder went away
        return Analysis(buffer, buffer[shift:], shift, name, empty, (), config, run, folder,
                        f"cannot work in {folder}: {exc.strerror or exc}")
    active = tuple(finding for finding in findings if finding.suppressed is None)
    return Analysis(buffer, source.text or buffer[shift:], shift, source.path, source, active, config, run, folder)
