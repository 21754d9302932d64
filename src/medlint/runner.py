"""The imperative shell around the core: read the files found (discovery.py), fan out to processes, gather results."""
from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from . import cache as cache_mod, engine, limits as limits_mod, load
from .config import Config
from .discovery import (
    SUFFIXES,
    Target,
    as_target,
    display_path as display_path,  # cli.py reads it here
    excluded,
    find,
    outside,
    utf8_name,
)
from .model import Finding, Severity
from .rules import loading
from .rules.base import Facts
from .summary import SUMMARY, RecordSummary

PARALLEL_THRESHOLD = 400  # below this, starting worker processes costs more than it saves
READ_BATCH = 500  # cache rows read in one query (SQLite before 3.32 takes at most 999 parameters)


def identity(target: Target, absolute: str, config: Config) -> str:
    """What a file's findings depend on besides its bytes and the run's configuration (which keys the cache
    store): where it is (its absolute path: the id its path implies), how it is shown (its path in every
    finding), and, when the config has per-path ignores, the path they match, links resolved."""
    real = os.path.realpath(absolute) if config.rules.per_path_ignores else ""
    return f"{absolute}\0{target.display}\0{real}"


def read(target: Target, max_bytes: int) -> tuple[load.Source, str]:
    """The file as a Source, and the SHA-256 of the bytes it was built from ("" when none were read)."""
    if target.problem is not None:
        return load.Source(target.display, None, (target.problem,), table=target.table), ""
    data, problems = load.read_bytes(target.path, max_bytes)
    if data is None:
        return load.Source(target.display, None, tuple(problems), table=target.table), ""
    return from_bytes(target, data, max_bytes), cache_mod.digest(data)


def from_bytes(target: Target, data: bytes, max_bytes: int) -> load.Source:
    """The Source that `data` makes as the file at `target` (standard input is linted as a named file)."""
    return load.load_text(data, target.display, expected=load.expected_of(target.path, target.table),
                          max_bytes=max_bytes, table=target.table)


def lint_bytes(target: Target, data: bytes, config: Config, run: engine.Run,
               cache: cache_mod.Cache | None = None) -> engine.FileResult:
    """The result for bytes read elsewhere (a blob from git history) as the file at `target`: the cached one
    when the cache holds these very bytes for that file, checked against the same dose-limit table, else
    linted now. Nothing is stored: the cache keeps the working tree's files, which an older version must not
    displace."""
    key = cache_mod.key_of(identity(target, os.path.abspath(target.path), config))
    hit = current(cache.lookup_digest(key, cache_mod.digest(data)) if cache is not None else None, run)
    return hit if hit is not None else _lint(from_bytes(target, data, config.max_file_bytes), config, run)


def _lint(source: load.Source, config: Config, run: engine.Run) -> engine.FileResult:
    """A file linted, with its summary for the report (taken always: check's cached results serve reports)."""
    return engine.lint_source(source, config, run, (SUMMARY,))


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
        stats.append((os.path.abspath(path), cache_mod.stat(path)))
        if drugs is not None and path.stem not in drugs:
            continue  # a hook run reads its own drug's table, not all of them
        target = as_target(path, config.root, table=True)
        tables[path.stem] = table_of(*read(target, config.max_file_bytes), config)
    return limits_mod.LimitSet(display_path(folder), tables, config.require_limits), stats


def table_of(source: load.Source, digest: str, config: Config) -> limits_mod.Table:
    """A dose-limit table as the limits rules read it: one with errors is unusable, not absent."""
    problems = sum(1 for p in source.problems if loading.rule_of(p).severity is Severity.ERROR)
    return limits_mod.read(source.record, digest)[0] if source.record is not None and not problems \
        else limits_mod.Table(source.path, digest, None, (), max(problems, 1))


def _drugs(targets: Sequence[Target], absolute: Sequence[str] | None = None) -> set[str] | None:
    """The drugs whose tables the targets need, when every target says by its path."""
    drugs: set[str] = set()
    for index, target in enumerate(targets):
        path = absolute[index] if absolute is not None else os.path.abspath(target.path)
        expected = None if target.table else load.expected_id(path)
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
        out.append((digest, _lint(source, config, run)))
        if progress is not None:
            progress(len(out), len(targets))
    return out


def _chunks(items: Sequence[Target], count: int) -> list[Sequence[Target]]:
    size = max(1, -(-len(items) // count))
    return [items[i : i + size] for i in range(0, len(items), size)]


def lint_parallel(targets: Sequence[Target], config: Config, run: engine.Run,
                  jobs: int | None = None, progress: Progress | None = None) -> Iterator[tuple[str, engine.FileResult]]:
    """Each target's (digest, result), in order, as the workers finish them: the caller keeps what it needs
    of each and lets the rest go (at 50,000 records, every whole result at once is hundreds of MB)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(targets) < PARALLEL_THRESHOLD:
        yield from lint_targets(targets, config, run, progress)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs a one-record run 40 ms to import

    chunks = _chunks(targets, jobs * 4)  # several chunks per worker evens out slow files
    done = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(lint_targets, chunks, [config] * len(chunks), [run] * len(chunks)):
            yield from part
            done += len(part)
            if progress is not None:
                progress(done, len(targets))


def _context_folders(targets: Sequence[Target], absolute: Sequence[str], results: Sequence[engine.FileResult],
                     walked: frozenset[str], root: Path) -> list[str]:
    """The drug folders whose records cross-record rules must see but that the run did not walk: each
    folder touched (by path or by declared id), so a one-file hook run still catches a duplicate id or a
    drug name spelt two ways. A walked folder needs no reading: its every record is a target already."""
    folders: set[str] = set()
    for item, path, result in zip(targets, absolute, results, strict=True):
        if item.problem is not None or item.table or load.expected_id(path) is None:
            continue
        folder = os.path.dirname(path)
        folders.add(folder)
        declared = result.facts.id if result.facts is not None else None
        slug = declared.split("/")[0] if declared and "/" in declared else ""
        named = os.path.join(os.path.dirname(folder), slug)
        # record text names this folder: only a real folder beside this one, inside the repository (resolving
        # it costs system calls, so not for a folder already known: nearly every record names its own)
        if (named not in folders and named not in walked and slug not in ("", ".", "..") and "\0" not in slug
                and not outside(Path(named), root)):
            folders.add(named)
    return sorted(folders - walked)


def _folder_records(folders: Sequence[str], checked: set[str], config: Config) -> list[Path]:
    """The record files in `folders` that are not targets: regular files, no links, UTF-8 names, none the
    config's `exclude` leaves out of the project (no rule reads those)."""
    out = []
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:  # gone, or not a folder: it holds no records
            continue
        for name in names:
            path = os.path.join(folder, name)
            if (name.endswith(SUFFIXES) and path not in checked and utf8_name(name) and not os.path.islink(path)
                    and os.path.isfile(path) and not excluded(Path(path), config.root, config.exclude)):
                out.append(Path(path))
    return out


def context_paths(targets: Sequence[Target], results: Sequence[engine.FileResult], config: Config) -> list[Path]:
    """The records cross-record rules must see beside `targets`, which no folder walk found (standard input,
    the language server's buffer): the other records of their drug folders, as a run of them reads them."""
    absolute = [os.path.abspath(t.path) for t in targets]
    return _folder_records(_context_folders(targets, absolute, results, frozenset(), config.root), set(absolute),
                           config)


def _context_stamp(paths: Sequence[Path]) -> str | None:
    return cache_mod.stamp((f"{os.path.abspath(path)}\0{display_path(path)}", cache_mod.stat(path)) for path in paths)


def context_facts(paths: Sequence[Path], config: Config, cache: cache_mod.Cache | None,
                  run: engine.Run) -> list[Facts]:
    """The facts of records read beside the files checked, for the cross-record rules."""
    out: list[Facts] = []
    max_bytes = config.max_file_bytes
    for path in paths:
        target = Target(path, display_path(path))
        key = cache_mod.key_of(identity(target, os.path.abspath(path), config)) if cache else ""
        cached = cache.lookup(key, cache_mod.stat(path)) if cache else None
        if cached is not None:
            facts = cached.facts
        else:
            record = read(target, max_bytes)[0].record
            facts = engine.record_facts(record, config, run) if record is not None else None
        if facts is not None:
            out.append(facts)
    return out


class Outcome(NamedTuple):
    findings: list[Finding]
    files: int
    records: int  # files that loaded as records
    summaries: tuple[RecordSummary, ...] = ()  # one per record, in path order, for `medlint report`


def _cached(cache: cache_mod.Cache, key: str, target: Target, info: cache_mod.Stat | None,
            max_bytes: int) -> tuple[engine.FileResult | None, str]:
    """The cached result for an unchanged file: by its stat alone, else by the digest of its bytes. The
    digest is returned when it decided, so that the entry is stored again under the file's new stat. A
    file that must not be read is never cached: saying so costs nothing."""
    if target.problem is not None:
        return None, ""
    hit = cache.lookup(key, info)
    if hit is not None or info is None or info.size > max_bytes:
        return hit, ""
    data, _ = load.read_bytes(target.path, max_bytes)  # never a named pipe, never past the limit
    if data is None:
        return None, ""
    digest = cache_mod.digest(data)
    hit = cache.lookup_digest(key, digest)
    return hit, digest if hit is not None else ""


def current(result: engine.FileResult | None, run: engine.Run) -> engine.FileResult | None:
    """A cached record result only while its drug's dose-limit table is the one it was checked against."""
    if result is None or result.facts is None:
        return result
    expected = run.limits.digest(result.facts.drug_slug) if run.limits else ""
    return result if result.limits == expected else None


def _dependents(targets: Sequence[Target], config: Config) -> list[Target]:
    """The records of each dose-limit table checked (`records/<drug>/`), which a change to the table
    re-checks: a hook run given only the table still fails on the doses it now refuses."""
    folders = [os.fspath(config.root / "records" / t.path.stem) for t in targets if t.table]
    if not folders:
        return []
    checked = {os.path.abspath(t.path) for t in targets}
    return [as_target(path, config.root) for path in _folder_records(folders, checked, config)]


def check_text(path: str, data: bytes, config: Config, run: engine.Run, cache: cache_mod.Cache | None = None,
               summaries: bool = False) -> Outcome:
    """Lint `data` (an editor's unsaved buffer, on standard input) as the file at `path`: its id is checked
    against that path, cross-record rules read the other records of its drug folder on disk, and the limits
    rules its drug's dose-limit table (a file directly in the tables' folder is linted as a table)."""
    table = os.path.dirname(os.path.abspath(path)) == os.path.abspath(config.limits_folder)
    target = Target(Path(path), display_path(Path(path)), table=table)
    run = run._replace(limits=read_limits(config, _drugs([target]))[0])
    result = _lint(from_bytes(target, data, config.max_file_bytes), config, run)
    context = context_facts(context_paths([target], [result], config), config, cache, run)
    findings = engine.finish([result], config, run, context)
    return Outcome(findings, 1, int(result.facts is not None),
                   (SUMMARY.of(result.facts),) if summaries and result.facts is not None else ())


def _kept(result: engine.FileResult, summaries: bool) -> engine.FileResult:
    """What a run keeps of a file's result until its end: without the editors' summary unless it reports
    them (every record's result is held for the cross-record rules)."""
    if result.facts is None or summaries:
        return result
    facts = result.facts
    return result._replace(facts=facts._replace(values=tuple(item for item in facts.values if item[0] != SUMMARY.name)))


def _results(targets: Sequence[Target], keys: Sequence[str], stats: Sequence[cache_mod.Stat | None],
             kept: list[engine.FileResult | None], cache: cache_mod.Cache, config: Config, run: engine.Run,
             jobs: int | None, progress: Progress | None, summaries: bool) -> Iterator[tuple[str, cache_mod.Entry]]:
    """Each file's result from the cache, else linted, put in `kept` as the run keeps it; yields what the cache
    must store, whole (a report reads check's results): digest hits whose stat changed (a touched or
    checked-out file) and what was linted now. One result at a time is whole."""
    todo = []
    for index, (key, target, info) in enumerate(zip(keys, targets, stats, strict=True)):
        if index % READ_BATCH == 0:
            cache.read_rows(keys[index : index + READ_BATCH])
        hit, digest = _cached(cache, key, target, info, config.max_file_bytes)
        hit = current(hit, run)
        if hit is None:
            todo.append(index)
            continue
        kept[index] = _kept(hit, summaries)
        if digest:
            yield key, cache_mod.Entry(digest, info, hit)
    linted = lint_parallel([targets[index] for index in todo], config, run, jobs, progress)
    for index, (digest, result) in zip(todo, linted, strict=True):
        kept[index] = _kept(result, summaries)
        if digest:
            yield keys[index], cache_mod.Entry(digest, stats[index], result)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A run builds hundreds of thousands of small objects that live until its end (every record's facts and
    findings): the cyclic collector, run every 700 allocations, would walk them again and again (~20% of a
    warm run at 10,000 records). They hold no cycles, so it runs less often during the run."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check(paths: Sequence[str], config: Config, run: engine.Run, jobs: int | None = None,
          cache: cache_mod.Cache | None = None, summaries: bool = False,
          progress: Progress | None = None) -> tuple[Outcome, list[str]]:
    """Lint `paths`: from the cache where nothing changed, in worker processes where much did."""
    with _fewer_collections():
        return _check(paths, config, run, jobs, cache, summaries, progress)


def _check(paths: Sequence[str], config: Config, run: engine.Run, jobs: int | None, cache: cache_mod.Cache | None,
           summaries: bool, progress: Progress | None) -> tuple[Outcome, list[str]]:
    found = find(paths, config.root, config.limits_folder, config.exclude)
    dependents = _dependents(found.targets, config)
    targets = found.targets + dependents
    absolute = [*found.absolute, *(os.path.abspath(t.path) for t in dependents)]
    limit_set, table_stats = read_limits(config, _drugs(targets, absolute))
    run = run._replace(limits=limit_set)
    if run.previous:
        cache = None  # --changed-since results depend on another revision's content
    checked = set(absolute)
    scope = "\n".join(absolute)
    stats: list[cache_mod.Stat | None] = [None] * len(targets)
    identities: list[str] = []
    stamp = None
    if cache is not None:
        stats = [cache_mod.stat(t.path) for t in targets]
        identities = [identity(t, path, config) for t, path in zip(targets, absolute, strict=True)]
        stamp = cache_mod.stamp([*zip(identities, stats, strict=True), *table_stats])
    if cache is not None and stamp is not None and not summaries:
        hit = cache.load_run(scope, stamp)
        # the records read beside the targets must be the same too: a new one may share an id
        if hit is not None and hit.context == _context_stamp(_folder_records(hit.folders, checked, config)):
            return Outcome(list(hit.findings), hit.files, hit.records), found.missing
    keys = [cache_mod.key_of(item) for item in identities]
    kept: list[engine.FileResult | None] = [None] * len(targets)
    if cache is not None:
        cache.store_files(_results(targets, keys, stats, kept, cache, config, run, jobs, progress, summaries))
    else:
        kept[:] = (_kept(result, summaries) for _, result in lint_parallel(targets, config, run, jobs, progress))
    final = [result for result in kept if result is not None]
    assert len(final) == len(targets)
    folders = _context_folders(targets, absolute, final, found.walked, config.root)
    context_paths = _folder_records(folders, checked, config)
    context_stamp = _context_stamp(context_paths) if cache is not None else None  # before reading them
    context = context_facts(context_paths, config, cache, run)
    findings = engine.finish(final, config, run, context)
    if dependents:  # read for what the tables say of them, not asked for: only the limits family reports
        others = {t.display for t in dependents}
        findings = [f for f in findings if f.path not in others or config.rules.rule(f.code).family == "limits"]
    outcome = Outcome(findings, len(targets), sum(1 for r in final if r.facts is not None),
                      tuple(SUMMARY.of(r.facts) for r in final if r.facts is not None) if summaries else ())
    # a run that read records for its tables is cached per file only
    if cache is not None and stamp is not None and context_stamp is not None and not dependents:
        cache.store_run(scope, stamp, cache_mod.RunResult(tuple(folders), context_stamp, tuple(findings),
                                                          outcome.files, outcome.records))
    return outcome, found.missing
