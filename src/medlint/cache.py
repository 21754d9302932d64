"""The results cache: nothing is linted twice, and nothing cached is used unless it is exactly what was stored.

Where: everything lives in one subfolder of the cache folder, `medlint-cache-v2/`, marked with a
`CACHEDIR.TAG` (backup tools skip it; medlint knows it made it). medlint reads, prunes and deletes only
files it names itself (`files-<24 hex>.json`, `run-<24 hex>.json` and their temporary files) in a marked
subfolder that is no symbolic link, so a cache folder pointed at `..`, `~` or another tool's folder costs
that folder one subfolder and nothing else. Files are read without following links and written by
files.write_bytes (atomic, never through a link).

Two levels, both plain JSON (never pickle: a cache file is data, and data cannot run code):

- per file (`files-<store>.json`), in a store keyed by everything else that changes findings (medlint's
  version and code, config, schema, `--today`, the config's folder, the dose-limit tables' folder as the run
  shows it). An entry's key is what the file's findings depend on besides its bytes (runner.identity: its
  absolute path, its path as shown, the id its path implies); its bytes are matched by their SHA-256. A
  record's entry also holds the dose-limit table it was checked against (LimitSet.digest) and is used only
  while its drug's table is still that one. A file whose size, mtime and inode match what was seen last time
  is not even re-read (git's and ruff's shortcut); files written in the last two seconds are never trusted
  that way, since a second write in the same clock tick would look unchanged.
- per run (`run-<hash>.json`, keyed by the files asked for): when every file of the run and every dose-limit
  table is unchanged, and so is every record the cross-record rules read beside them, the previous run's
  final findings are reused without decoding any per-file entry, which keeps a warm run to the cost of a
  `stat` per file.

Every entry carries a seal: the SHA-256 of the store's full key (which includes a fingerprint of medlint's
installed files that is never written to the cache), the entry's key and everything in the entry. Before
use, the seal is checked and the value is decoded against its declared types (codec): an entry that was
edited, truncated, copied from another store or written by another version is a miss, never an error and
never a result. Writes are atomic, so processes sharing a cache never see a half-written file; the last
writer wins and both results are complete.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat as stat_mod
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__, codec, engine, files
from .config import user_cache_home
from .model import Finding

FORMAT = 2
SUBFOLDER = "medlint-cache-v2"
RACY_SECONDS = 2.0
MAX_AGE_DAYS = 14  # stores not used for this long are deleted
MAX_BYTES = 1 << 30  # a cache file larger than this is not medlint's
TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This file is a cache directory tag created by medlint.\n"
       b"# For information about cache directory tags, see https://bford.info/cachedir/\n")
_TEMPORARY = r"\.[a-z0-9_]+" + re.escape(files.TEMPORARY_SUFFIX)  # what files.write_bytes leaves when killed
_STORE = r"(files|run)-[0-9a-f]{24}\.json"
_OWN = re.compile(rf"{_STORE}|\.{_STORE}{_TEMPORARY}|\.CACHEDIR\.TAG{_TEMPORARY}")  # all medlint ever names


def default_dir() -> Path:
    return user_cache_home() / "medlint"


def _read(path: Path) -> Any:
    """The JSON document in `path`, or None: never through a link, never a pipe or device, never huge."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat_mod.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return json.loads(handle.read())
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(descriptor)


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


def key_of(identity: str) -> str:
    """An entry's key: a digest of what a file's findings depend on besides its bytes (runner.identity)."""
    return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()


def stamp(items: Iterable[tuple[str, Stat | None]]) -> str | None:
    """A digest of files' identities and stats, or None when one of them is missing or too fresh to trust."""
    horizon = (time.time() - RACY_SECONDS) * 1e9
    digest = hashlib.sha256()
    for identity, info in items:
        if info is None or info.mtime_ns >= horizon:
            return None
        digest.update(f"{identity}\0{info.size}\0{info.mtime_ns}\0{info.inode}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class Entry(NamedTuple):
    """One file's result, as the runner stores it."""

    digest: str  # SHA-256 of the file's bytes
    stat: Stat | None
    result: engine.FileResult


class RunResult(NamedTuple):
    """A whole run's final findings, and the records read beside the files asked for."""

    folders: tuple[str, ...]  # drug folders read for cross-record rules that the run did not walk itself
    context: str  # cache.stamp of the records read in them
    findings: tuple[Finding, ...]
    files: int
    records: int


class _Stored(NamedTuple):
    seal: str
    stat: Stat | None
    digest: str
    payload: str  # codec.dumps of the FileResult


class Cache:
    """One cache store for one configuration; created per run, never shared through globals."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.folder = directory / SUBFOLDER
        self._secret = f"{FORMAT}|{__version__}|{key}"  # the seals' key: never written anywhere
        self.key = hashlib.sha256(self._secret.encode("utf-8", "surrogateescape")).hexdigest()[:24]
        self._files: dict[str, _Stored] | None = None

    @property
    def files_path(self) -> Path:
        return self.folder / f"files-{self.key}.json"

    def run_path(self, scope: str) -> Path:
        return self.folder / f"run-{self._digest('run', scope)[:24]}.json"

    def _digest(self, *parts: str) -> str:
        return hashlib.sha256("\0".join((self._secret, *parts)).encode("utf-8", "surrogateescape")).hexdigest()

    def _marked(self) -> bool:
        """The subfolder exists, is a real folder (no link) and carries medlint's tag."""
        try:
            if not stat_mod.S_ISDIR(os.lstat(self.folder).st_mode):
                return False
        except OSError:
            return False
        tag = self.folder / "CACHEDIR.TAG"
        try:
            return stat_mod.S_ISREG(os.lstat(tag).st_mode) and tag.read_bytes() == TAG
        except OSError:
            return False

    def _write(self, path: Path, document: object) -> bool:
        try:
            if not self._marked():
                self.folder.mkdir(parents=True, exist_ok=True)
                if not stat_mod.S_ISDIR(os.lstat(self.folder).st_mode):
                    return False  # a link, or a file, in the subfolder's place: not medlint's
                files.write_bytes(self.folder / "CACHEDIR.TAG", TAG)
            files.write_text(path, json.dumps(document, separators=(",", ":")))
        except OSError:
            return False  # a cache that cannot be written is a slower run, not a failed one
        return True

    # --- whole runs ---

    def load_run(self, scope: str, stamp: str) -> RunResult | None:
        document = _read(self.run_path(scope)) if self._marked() else None
        if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("stamp") != stamp:
            return None
        seal, payload = document.get("seal"), document.get("payload")
        if not isinstance(payload, str) or seal != self._digest("run", scope, stamp, payload):
            return None
        try:
            return codec.loads(payload, RunResult)
        except codec.CodecError:
            return None

    def store_run(self, scope: str, stamp: str, result: RunResult) -> None:
        payload = codec.dumps(result)
        self._write(self.run_path(scope), {"format": FORMAT, "stamp": stamp,
                                           "seal": self._digest("run", scope, stamp, payload), "payload": payload})

    # --- single files ---

    def _seal(self, key: str, info: Stat | None, digest: str, payload: str) -> str:
        return self._digest("file", key, json.dumps(info), digest, payload)

    def _entries(self) -> dict[str, _Stored]:
        if self._files is None:
            document = _read(self.files_path) if self._marked() else None
            entries = document.get("entries") if isinstance(document, dict) and document.get(
                "format") == FORMAT else None
            self._files = {}
            for key, item in (entries.items() if isinstance(entries, dict) else ()):
                try:
                    self._files[key] = codec.decode(_Stored, item)
                except codec.CodecError:
                    continue  # a damaged entry is a miss; the others stay usable
        return self._files

    def _result(self, key: str, stored: _Stored) -> engine.FileResult | None:
        if stored.seal != self._seal(key, stored.stat, stored.digest, stored.payload):
            return None
        try:
            return codec.loads(stored.payload, engine.FileResult)
        except codec.CodecError:
            return None

    def lookup(self, key: str, info: Stat | None) -> engine.FileResult | None:
        """The cached result when the file is certainly unchanged by its stat alone."""
        stored = self._entries().get(key)
        if stored is not None and info is not None and stored.stat == info:
            return self._result(key, stored)
        return None

    def lookup_digest(self, key: str, digest: str) -> engine.FileResult | None:
        stored = self._entries().get(key)
        return self._result(key, stored) if stored is not None and stored.digest == digest else None

    def store_files(self, entries: Mapping[str, Entry]) -> None:
        horizon = (time.time() - RACY_SECONDS) * 1e9
        merged = dict(self._entries())
        for key, entry in entries.items():
            trusted = entry.stat if entry.stat is not None and entry.stat.mtime_ns < horizon else None
            payload = codec.dumps(entry.result)
            merged[key] = _Stored(self._seal(key, trusted, entry.digest, payload), trusted, entry.digest, payload)
        self._files = merged
        document = {"format": FORMAT, "entries": {key: list(item) for key, item in sorted(merged.items())}}
        if self._write(self.files_path, document):
            self._prune()

    def _prune(self) -> None:
        """Delete medlint's own files in its own marked subfolder that no run has written for a while."""
        cutoff = time.time() - MAX_AGE_DAYS * 86400
        try:
            with os.scandir(self.folder) as listing:
                for item in listing:
                    if (_OWN.fullmatch(item.name) and item.is_file(follow_symlinks=False)
                            and item.stat(follow_symlinks=False).st_mtime < cutoff):
                        os.unlink(item.path)
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
