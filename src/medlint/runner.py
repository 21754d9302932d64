"""The imperative shell around the core: find files, read them, fan out to processes, gather results."""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from . import engine, load
from .config import Config
from .load import Problem
from .model import Finding, Position
from .rules.base import Facts
from .rules.corpus import facts as extract_facts
from .summary import RecordSummary

SUFFIXES = (".yaml", ".yml")
PARALLEL_THRESHOLD = 400  # below this, starting worker processes costs more than it saves


class Target(NamedTuple):
    path: Path  # as found (may be relative)
    display: str
    problem: Problem | None = None  # set when the file must not be read at all


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def _outside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return False
    except ValueError:
        return True


def discover(paths: Sequence[str], root: Path) -> tuple[list[Target], list[str]]:
    """Record files under `paths`, each once, sorted; and the paths that do not exist."""
    seen: set[Path] = set()
    targets: list[Target] = []
    missing: list[str] = []

    def add(path: Path) -> None:
        key = Path(os.path.abspath(path))
        if key in seen:
            return
        seen.add(key)
        problem = None
        if path.is_symlink() and _outside(path, root):
            problem = Problem("ML003", f"this is a symbolic link to {os.readlink(path)}, outside the repository; "
                                       "it was not read", Position(1, 1, 1, 1), "commit the record itself")
        targets.append(Target(path, display_path(path), problem))

    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            missing.append(raw)
        elif path.is_dir() and not path.is_symlink():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        add(Path(folder) / name)
        else:
            add(path)
    return targets, missing


def read(target: Target, max_bytes: int) -> engine.Source:
    if target.problem is not None:
        return engine.Source(target.display, None, (target.problem,))
    record, problems, text = load.load_file(target.path, target.display, max_bytes)
    return engine.Source(target.display, record, tuple(problems), text)


def _max_bytes(config: Config) -> int:
    return int(config.options_of("ML007")["max-bytes"])


def lint_targets(targets: Sequence[Target], config: Config, run: engine.Run) -> list[engine.FileResult]:
    max_bytes = _max_bytes(config)
    return [engine.lint_source(read(target, max_bytes), config, run) for target in targets]


def _chunks(items: Sequence[Target], count: int) -> list[Sequence[Target]]:
    size = max(1, -(-len(items) // count))
    return [items[i : i + size] for i in range(0, len(items), size)]


def lint_parallel(targets: Sequence[Target], config: Config, run: engine.Run,
                  jobs: int | None = None) -> list[engine.FileResult]:
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(targets) < PARALLEL_THRESHOLD:
        return lint_targets(targets, config, run)
    chunks = _chunks(targets, jobs * 4)  # several chunks per worker evens out slow files
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        parts = pool.map(lint_targets, chunks, [config] * len(chunks), [run] * len(chunks))
        return [result for part in parts for result in part]


def context_facts(targets: Sequence[Target], results: Iterable[engine.FileResult], config: Config) -> list[Facts]:
    """Facts of the records that cross-record rules must see but that were not asked for: the other
    records of each drug folder touched (by path or by declared id), so a one-file hook run still
    catches a duplicate id or a drug name spelt two ways."""
    checked = {Path(os.path.abspath(t.path)) for t in targets}
    folders: set[Path] = set()
    for target, result in zip(targets, results):
        absolute = Path(os.path.abspath(target.path))
        if load.expected_id(absolute) is None:
            continue
        records_root = absolute.parent.parent
        folders.add(absolute.parent)
        if result.facts is not None and result.facts.id and "/" in result.facts.id:
            folders.add(records_root / result.facts.id.split("/")[0])
    out: list[Facts] = []
    max_bytes = _max_bytes(config)
    for folder in sorted(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES and path.is_file() and path not in checked and not path.is_symlink():
                source = read(Target(path, display_path(path)), max_bytes)
                if source.record is not None:
                    out.append(extract_facts(source.record))
    return out


class Outcome(NamedTuple):
    findings: list[Finding]
    files: int
    records: int  # files that loaded as records
    summaries: tuple[RecordSummary, ...] = ()  # one per record, in path order, for `medlint report`


def check(paths: Sequence[str], config: Config, run: engine.Run, jobs: int | None = None) -> tuple[Outcome, list[str]]:
    targets, missing = discover(paths, config.root)
    return check_targets(targets, config, run, jobs), missing


def check_targets(targets: Sequence[Target], config: Config, run: engine.Run, jobs: int | None = None) -> Outcome:
    results = lint_parallel(targets, config, run, jobs)
    context = context_facts(targets, results, config)
    findings = engine.finish(results, config, run, context)
    summaries = tuple(r.summary for r in results if r.summary is not None)
    return Outcome(findings, len(targets), sum(1 for r in results if r.facts is not None), summaries)
