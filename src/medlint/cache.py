"""The results cache: nothing is linted twice.

Two levels, both plain JSON (never pickle: a cache file is data, and data cannot run code):

- per file, keyed by the SHA-256 of its bytes, in a store keyed by everything else that changes findings
  (medlint version, config, schema, `--today`). A file whose size, mtime and inode match what was seen
  last time is not even re-read (git's and ruff's shortcut); files written in the last two seconds are
  never trusted that way, since a second write in the same clock tick would look unchanged.
- per run: when every file of the run is unchanged, the previous run's final findings are reused without
  decoding any per-file entry, which keeps a warm run to the cost of a `stat` per file.

Writes are atomic (temp file + rename), so two medlint processes sharing a cache never see a half-written
file; the last writer wins and both results are complete. Anything unreadable is a miss, never an error.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__, engine, summary, suppress
from .model import Edit, Finding, Fix, Position, Severity
from .rules.base import Facts, Reading

FORMAT = 1
RACY_SECONDS = 2.0
MAX_AGE_DAYS = 14  # stores not used for this long are deleted

_TYPES: dict[str, Any] = {cls.__name__: cls for cls in (
    engine.FileResult, Finding, Position, Fix, Edit, Facts, Reading, suppress.Suppression, summary.RecordSummary,
    summary.Source)}


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "medlint"


def _encode(value: Any) -> Any:
    if isinstance(value, Severity):
        return {"@": "Severity", "v": value.value}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"@": type(value).__name__, "v": [_encode(item) for item in value]}
    if isinstance(value, tuple):
        return {"@": "tuple", "v": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dt.date):
        return {"@": "date", "v": value.isoformat()}
    return value


def _decode(node: dict[str, Any]) -> Any:
    kind, value = node.get("@"), node["v"]
    if kind == "tuple":
        return tuple(value)
    if kind == "Severity":
        return Severity(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    cls = _TYPES.get(str(kind))
    if cls is None or not isinstance(value, list):
        raise ValueError(f"unexpected cache entry {kind!r}")
    return cls(*value)


def _read(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, object_hook=_decode)
    except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def _write(path: Path, document: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(_encode(document), handle, separators=(",", ":"))
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except OSError:
        pass  # a cache that cannot be written is a slower run, not a failed one


class Stat(NamedTuple):
    size: int
    mtime_ns: int
    inode: int


def stat(path: Path) -> Stat | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return Stat(info.st_size, info.st_mtime_ns, info.st_ino)


class Entry(NamedTuple):
    digest: str
    stat: Stat | None
    result: engine.FileResult


class Cache:
    """One cache store for one configuration; created per run, never shared through globals."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.key = hashlib.sha256(f"{FORMAT}|{__version__}|{key}".encode()).hexdigest()[:24]
        self._files: dict[str, Entry] | None = None

    @property
    def files_path(self) -> Path:
        return self.directory / f"files-{self.key}.json"

    def run_path(self, scope: str) -> Path:
        return self.directory / f"run-{hashlib.sha256((self.key + scope).encode()).hexdigest()[:24]}.json"

    # --- whole runs ---

    @staticmethod
    def stamp(stats: Sequence[tuple[str, Stat | None]]) -> str | None:
        """A digest of every file's identity, or None when one of them is too fresh to trust."""
        horizon = (time.time() - RACY_SECONDS) * 1e9
        digest = hashlib.sha256()
        for path, info in stats:
            if info is None or info.mtime_ns >= horizon:
                return None
            digest.update(f"{path}\0{info.size}\0{info.mtime_ns}\0{info.inode}\n".encode())
        return digest.hexdigest()

    def load_run(self, scope: str, stamp: str) -> tuple[list[Finding], int, int] | None:
        document = _read(self.run_path(scope))
        if not isinstance(document, list) or len(document) != 4 or document[0] != stamp:
            return None
        _, findings, files, records = document
        return list(findings), int(files), int(records)

    def store_run(self, scope: str, stamp: str, findings: Sequence[Finding], files: int, records: int) -> None:
        _write(self.run_path(scope), [stamp, list(findings), files, records])

    # --- single files ---

    def _entries(self) -> dict[str, Entry]:
        if self._files is None:
            document = _read(self.files_path)
            self._files = {}
            if isinstance(document, list):
                for item in document:
                    if isinstance(item, list) and len(item) == 4:
                        path, digest, info, result = item
                        self._files[path] = Entry(digest, Stat(*info) if info else None, result)
        return self._files

    def lookup(self, path: str, info: Stat | None) -> engine.FileResult | None:
        """The cached result when the file is certainly unchanged by its stat alone."""
        entry = self._entries().get(path)
        if entry is not None and info is not None and entry.stat == info:
            return entry.result
        return None

    def lookup_digest(self, path: str, digest: str) -> engine.FileResult | None:
        entry = self._entries().get(path)
        return entry.result if entry is not None and entry.digest == digest else None

    def store_files(self, entries: Mapping[str, Entry]) -> None:
        horizon = (time.time() - RACY_SECONDS) * 1e9
        merged = dict(self._entries())
        for path, entry in entries.items():
            trusted = entry.stat if entry.stat is not None and entry.stat.mtime_ns < horizon else None
            merged[path] = entry._replace(stat=trusted)
        self._files = merged
        _write(self.files_path, [[path, e.digest, list(e.stat) if e.stat else None, e.result]
                                 for path, e in sorted(merged.items())])
        self._prune()

    def _prune(self) -> None:
        cutoff = time.time() - MAX_AGE_DAYS * 86400
        try:
            for item in self.directory.glob("*.json"):
                if item.stat().st_mtime < cutoff:
                    item.unlink(missing_ok=True)
        except OSError:
            pass


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_fingerprint() -> str:
    """Identity of medlint's own code, so an edited rule (a development install, a patched copy) never
    reuses results an older rule produced; the version number alone would not notice."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            info = path.stat()
            digest.update(f"{path.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_key(config_key: str, schema_bytes: bytes, today: dt.date, extra: Iterable[str] = ()) -> str:
    return "|".join((config_key, hashlib.sha256(schema_bytes).hexdigest(), today.isoformat(), code_fingerprint(),
                     *extra))
