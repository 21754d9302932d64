"""The imperative shell around the core: find files, read them, fan out to processes, gather results."""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from . import cache as cache_mod, engine, limits as limits_mod, load, rules
from .config import Config
from .load import Problem
from .model import Finding, Position, Severity
from .rules.base import Facts
from .rules.corpus import facts as extract_facts
from .summary import RecordSummary

SUFFIXES = (".yaml", ".yml")
PARALLEL_THRESHOLD = 400  # below this, starting worker processes costs more than it saves


class Target(NamedTuple):
    path: Path  # as found (may be relative)
    display: str
    problem: Problem | None = None  # set when the file must not be read at all
    table: bool = False  # a dose-limit table, not a record


def display_path(path: Path) -> str:
    """The path as the user should read it: relative to the current folder when it is inside it.
    Pure string work: resolving every one of 50,000 paths would cost more than linting some of them."""
    text = os.path.normpath(path)
    if os.path.isabs(text):
        relative = os.path.relpath(text, os.getcwd())
        if not relative.startswith(".."):
            text = relative
    return text.replace(os.sep, "/")


def _outside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return False
    except ValueError:
        return True
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): reading it says so
        return False


def _link_problem(path: Path, root: Path) -> Problem | None:
    """A symbolic link out of the repository is never read: reading it would publish what it points at."""
    if os.path.islink(path) and _outside(path, root):
        return Problem("ML003", f"this is a symbolic link to {os.readlink(path)}, outside the repository; "
                                "it was not read", Position(1, 1, 1, 1), "commit the file itself")
    return None


def excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether the config's `exclude` globs leave `path` out, as ruff reads them: a pattern with a `/` matches
    the path relative to the config's folder (or a folder above the file), one without matches the name of
    the file or of any folder it is in."""
    if not patterns:
        return False
    try:
        relative = Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:  # outside the project: only the name patterns can apply
        relative = ""
    parts = relative.split("/") if relative else list(Path(os.path.abspath(path)).parts[1:])
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))] if relative else []
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            if any(fnmatch.fnmatchcase(prefix, pattern.removeprefix("./")) for prefix in prefixes):
                return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in parts):
            return True
    return False


def discover(paths: Sequence[str], root: Path, tables: Path | None = None,
             exclude: Sequence[str] = ()) -> tuple[list[Target], list[str]]:
    """Record files under `paths`, each once, sorted, without those `exclude` names (named ones too, so
    that the pre-commit hook skips them as a folder walk does); and the paths that do not exist. Files
    directly in the folder `tables` are dose-limit tables."""
    table_folder = os.path.abspath(tables) if tables is not None else None
    seen: set[str] = set()
    targets: list[Target] = []
    missing: list[str] = []

    def add(path: Path) -> None:
        key = os.path.abspath(path)
        if key in seen or excluded(path, root, exclude):
            return
        seen.add(key)
        table = os.path.dirname(key) == table_folder
        targets.append(Target(path, display_path(path), _link_problem(path, root), table))

    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            missing.append(raw)
        elif path.is_dir() and not path.is_symlink():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and not excluded(Path(folder) / d, root, exclude))
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        add(Path(folder) / name)
        else:
            add(path)
    return targets, missing


def read(target: Target, max_bytes: int) -> tuple[engine.Source, str]:
    """The file as a Source, and the SHA-256 of the bytes it was built from ("" when none were read)."""
    if target.problem is not None:
        return engine.Source(target.display, None, (target.problem,), table=target.table), ""
    data, problems = load.read_bytes(target.path, max_bytes)
    if data is None:
        return engine.Source(target.display, None, tuple(problems), table=target.table), ""
    return from_bytes(target, data, max_bytes), cache_mod.digest(data)


def from_bytes(target: Target, data: bytes, max_bytes: int) -> engine.Source:
    """The Source that `data` makes as the file at `target` (standard input is linted as a named file)."""
    expected = None if target.table else load.expected_id(Path(os.path.abspath(target.path)))  # `records/` may be
    record, problems, text = load.load_text(data, target.display, expected=expected, max_bytes=max_bytes)  # above
    return engine.Source(target.display, record, tuple(problems), text, target.table)


def read_limits(config: Config, drugs: set[str] | None = None
                ) -> tuple[limits_mod.LimitSet | None, list[tuple[str, cache_mod.Stat | None]]]:
    """The tables of `drugs` (None: every table, for records outside the records/<drug>/ layout), and the
    stats of every table for the run's cache stamp. None when there is no folder and none is required."""
    folder = config.limits_folder
    if not folder.is_dir():
        return (limits_mod.LimitSet(display_path(folder), {}, True) if config.require_limits else None), []
    tables: dict[str, limits_mod.Table] = {}
    stats: list[tuple[str, cache_mod.Stat | None]] = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in SUFFIXES or path.name.startswith("."):
            continue
        stats.append((display_path(path), cache_mod.stat(path)))
        if drugs is not None and path.stem not in drugs:
            continue  # a hook run reads its own drug's table, not all of them
        target = Target(path, display_path(path), _link_problem(path, config.root), table=True)
        source, digest = read(target, config.max_file_bytes)
        problems = sum(1 for p in source.problems if rules.BY_CODE[p.code].severity is Severity.ERROR)
        tables[path.stem] = limits_mod.read(source.record, digest)[0] if source.record is not None and not problems \
            else limits_mod.Table(source.path, digest, None, (), max(problems, 1))
    return limits_mod.LimitSet(display_path(folder), tables, config.require_limits), stats


def _drugs(targets: Sequence[Target]) -> set[str] | None:
    """The drugs whose tables the targets need, when every target says by its path."""
    drugs: set[str] = set()
    for target in targets:
        expected = None if target.table else load.expected_id(Path(os.path.abspath(target.path)))
        if expected is None and not target.table:
            return None
        drugs.add(target.path.stem if target.table else (expected or "").split("/")[0])
    return drugs


Progress = Callable[[int, int], None]  # (files done, files in all): terminal.Progress draws it


def lint_targets(targets: Sequence[Target], config: Config, run: engine.Run,
                 progress: Progress | None = None) -> list[tuple[str, engine.FileResult]]:
    max_bytes = config.max_file_bytes
    out = []
    for target in targets:
        source, digest = read(target, max_bytes)
        out.append((digest, engine.lint_source(source, config, run)))
        if progress is not None:
            progress(len(out), len(targets))
    return out


def _chunks(items: Sequence[Target], count: int) -> list[Sequence[Target]]:
    size = max(1, -(-len(items) // count))
    return [items[i : i + size] for i in range(0, len(items), size)]


def lint_parallel(targets: Sequence[Target], config: Config, run: engine.Run,
                  jobs: int | None = None, progress: Progress | None = None) -> list[tuple[str, engine.FileResult]]:
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(targets) < PARALLEL_THRESHOLD:
        return lint_targets(targets, config, run, progress)
    chunks = _chunks(targets, jobs * 4)  # several chunks per worker evens out slow files
    out: list[tuple[str, engine.FileResult]] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(lint_targets, chunks, [config] * len(chunks), [run] * len(chunks)):
            out += part
            if progress is not None:
                progress(len(out), len(targets))
    return out


def _context_paths(targets: Sequence[Target], results: Iterable[engine.FileResult]) -> list[Path]:
    """The records that cross-record rules must see but that were not asked for: the other records of
    each drug folder touched (by path or by declared id), so a one-file hook run still catches a
    duplicate id or a drug name spelt two ways."""
    checked = {Path(os.path.abspath(t.path)) for t in targets}
    folders: set[Path] = set()
    for target, result in zip(targets, results, strict=True):
        absolute = Path(os.path.abspath(target.path))
        if load.expected_id(absolute) is None:
            continue
        folders.add(absolute.parent)
        if result.facts is not None and result.facts.id and "/" in result.facts.id:
            folders.add(absolute.parent.parent / result.facts.id.split("/")[0])
    out = []
    for folder in sorted(folders):
        if folder.is_dir():
            out += [path for path in sorted(folder.iterdir()) if path.suffix in SUFFIXES and path.is_file()
                    and path not in checked and not path.is_symlink()]
    return out


def context_facts(paths: Sequence[Path], config: Config, cache: cache_mod.Cache | None) -> list[Facts]:
    out: list[Facts] = []
    max_bytes = config.max_file_bytes
    for path in paths:
        if excluded(path, config.root, config.exclude):  # not part of the project: no rule reads it
            continue
        display = display_path(path)
        cached = cache.lookup(display, cache_mod.stat(path)) if cache else None
        if cached is not None:
            facts = cached.facts
        else:
            source, _ = read(Target(path, display), max_bytes)
            facts = extract_facts(source.record) if source.record is not None else None
        if facts is not None:
            out.append(facts)
    return out


class Outcome(NamedTuple):
    findings: list[Finding]
    files: int
    records: int  # files that loaded as records
    summaries: tuple[RecordSummary, ...] = ()  # one per record, in path order, for `medlint report`


def _cached(cache: cache_mod.Cache, target: Target, info: cache_mod.Stat | None,
            max_bytes: int) -> tuple[engine.FileResult | None, str]:
    """The cached result for an unchanged file: by its stat alone, else by the digest of its bytes. The
    digest is returned when it decided, so that the entry is stored again under the file's new stat."""
    hit = cache.lookup(target.display, info)
    if hit is not None or target.problem is not None or info is None or info.size > max_bytes:
        return hit, ""
    data, _ = load.read_bytes(target.path, max_bytes)  # never a named pipe, never past the limit
    if data is None:
        return None, ""
    digest = cache_mod.digest(data)
    hit = cache.lookup_digest(target.display, digest)
    return hit, digest if hit is not None else ""


def _current(result: engine.FileResult | None, run: engine.Run) -> engine.FileResult | None:
    """A cached record result only while its drug's dose-limit table is the one it was checked against."""
    if result is None or result.facts is None:
        return result
    expected = run.limits.digest(result.facts.drug_slug) if run.limits else ""
    return result if result.limits == expected else None


def _dependents(targets: Sequence[Target], config: Config) -> list[Target]:
    """The records of each dose-limit table checked (`records/<drug>/`), which a change to the table
    re-checks: a hook run given only the table still fails on the doses it now refuses."""
    checked = {os.path.abspath(t.path) for t in targets}
    found: list[Target] = []
    for target in targets:
        folder = config.root / "records" / target.path.stem
        if target.table and folder.is_dir():
            found += [Target(path, display_path(path)) for path in sorted(folder.iterdir())
                      if path.suffix in SUFFIXES and path.is_file() and not path.is_symlink()
                      and os.path.abspath(path) not in checked and not excluded(path, config.root, config.exclude)]
    return found


def _scope(targets: Sequence[Target]) -> str:
    return "\n".join(os.path.abspath(t.path) for t in targets)


def check_text(path: str, data: bytes, config: Config, run: engine.Run, cache: cache_mod.Cache | None = None,
               summaries: bool = False) -> Outcome:
    """Lint `data` (an editor's unsaved buffer, on standard input) as the file at `path`: its id is checked
    against that path, cross-record rules read the other records of its drug folder on disk, and the limits
    rules its drug's dose-limit table (a file directly in the tables' folder is linted as a table)."""
    table = os.path.dirname(os.path.abspath(path)) == os.path.abspath(config.limits_folder)
    target = Target(Path(path), display_path(Path(path)), table=table)
    run = run._replace(limits=read_limits(config, _drugs([target]))[0])
    result = engine.lint_source(from_bytes(target, data, config.max_file_bytes), config, run)
    context = context_facts(_context_paths([target], [result]), config, cache)
    findings = engine.finish([result], config, run, context)
    return Outcome(findings, 1, int(result.facts is not None),
                   (result.summary,) if summaries and result.summary is not None else ())


def check(paths: Sequence[str], config: Config, run: engine.Run, jobs: int | None = None,
          cache: cache_mod.Cache | None = None, summaries: bool = False,
          progress: Progress | None = None) -> tuple[Outcome, list[str]]:
    """Lint `paths`: from the cache where nothing changed, in worker processes where much did."""
    targets, missing = discover(paths, config.root, config.limits_folder, config.exclude)
    dependents = _dependents(targets, config)
    targets += dependents
    limit_set, table_stats = read_limits(config, _drugs(targets))
    run = run._replace(limits=limit_set)
    if run.previous:
        cache = None  # --changed-since results depend on another revision's content
    stats = [(t.display, cache_mod.stat(t.path)) for t in targets]
    stamp = cache.stamp(stats + table_stats) if cache else None
    scope = _scope(targets)
    if cache is not None and stamp is not None and not summaries:
        hit = cache.load_run(scope, stamp)
        if hit is not None:
            findings, files, records = hit
            return Outcome(findings, files, records), missing
    max_bytes = config.max_file_bytes
    cached = [(_current(hit, run), digest) for hit, digest in
              ((_cached(cache, target, info, max_bytes) if cache else (None, ""))
               for target, (_, info) in zip(targets, stats, strict=True))]
    todo = [target for target, (result, _) in zip(targets, cached, strict=True) if result is None]
    # to store: what was linted now, and digest hits whose stat changed (a touched or checked-out file)
    store = {result.path: (digest, result) for digest, result in lint_parallel(todo, config, run, jobs, progress)}
    store.update({target.display: (digest, result) for target, (result, digest) in zip(targets, cached, strict=True)
                  if result is not None and digest})
    final = [result or store[target.display][1] for target, (result, _) in zip(targets, cached, strict=True)]
    context_paths = _context_paths(targets, final)
    context = context_facts(context_paths, config, cache)
    findings = engine.finish(final, config, run, context)
    if dependents:  # read for what the tables say of them, not asked for: only the limits family reports
        others = {t.display for t in dependents}
        findings = [f for f in findings if f.path not in others or rules.BY_CODE[f.code].family == "limits"]
    outcome = Outcome(findings, len(targets), sum(1 for r in final if r.facts is not None),
                      tuple(r.summary for r in final if r.summary is not None))
    if cache is not None:
        entries = {display: cache_mod.Entry(store[display][0], info, store[display][1])
                   for display, info in stats if display in store and store[display][0]}
        if entries:
            cache.store_files(entries)
        if stamp is not None and not context_paths and not dependents:  # read other files: cached per file only
            cache.store_run(scope, stamp, findings, outcome.files, outcome.records)
    return outcome, missing
