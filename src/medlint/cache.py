"""The results cache: nothing is linted twice, and nothing cached is used unless it is exactly what was stored.

Where: everything lives in one subfolder of the cache folder, `medlint-cache-v2/`, marked with a
`CACHEDIR.TAG` (backup tools skip it; medlint knows it made it). medlint reads, prunes and deletes only
files it names itself (`files-<24 hex>.sqlite3` and SQLite's `-wal`/`-shm`/`-journal` files beside it,
`run-<24 hex>.json`, the `files-<24 hex>.json` of format 2, and their temporary files) in a marked subfolder
that is no symbolic link, so a cache folder pointed at `..`, `~` or another tool's folder costs that folder
one subfolder and nothing else. Files are read without following links and written by files.write_bytes
(atomic, never through a link); SQLite opens a store only when its files are regular files.

Two levels, both JSON text (never pickle: a cache file is data, and data cannot run code):

- per file (`files-<store>.sqlite3`, one row per file, so that a hook run reads and writes one row and not
  the whole store; SQLite's write-ahead log lets processes read while one writes), in a store keyed by
  everything else that changes findings (medlint's version and code, config, schema, `--today`, the
  config's folder, the dose-limit tables' folder as the run shows it). An entry's key is what the file's
  findings depend on besides its bytes (runner.identity: its absolute path, its path as shown, the id its
  path implies); its bytes are matched by their SHA-256. A record's entry also holds the dose-limit table it
  was checked against (LimitSet.digest) and is used only while its drug's table is still that one. A file
  whose size, mtime and inode match what was seen last time is not even re-read (git's and ruff's
  shortcut); files written in the last two seconds are never trusted that way, since a second write in the
  same clock tick would look unchanged.
- per run (`run-<hash>.json`, keyed by the files asked for): when every file of the run and every dose-limit
  table is unchanged, and so is every record the cross-record rules read beside them, the previous run's
  final findings are reused without decoding any per-file entry, which keeps a warm run to the cost of a
  `stat` per file.

Every entry carries a seal: the SHA-256 of the store's full key (which includes a fingerprint of medlint's
installed files that is never written to the cache), the entry's key and everything in the entry. Before
use, the seal is checked and the value is decoded against its declared types (codec): an entry that was
edited, truncated, copied from another store or written by another version is a miss, never an error and
never a result. Writes are atomic (a file renamed into place, a batch of rows in one transaction), so
processes sharing a cache never see a half-written entry; the last writer of a row wins and both results
are complete. A store SQLite cannot read as one is a miss, and is made again at the next write.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import stat as stat_mod
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__, codec, engine, files
from .config import user_cache_home
from .model import Finding

if TYPE_CHECKING:
    import sqlite3

FORMAT = 3
SUBFOLDER = "medlint-cache-v2"
RACY_SECONDS = 2.0
MAX_AGE_DAYS = 14  # stores not used for this long are deleted
MAX_BYTES = 1 << 30  # a cache file larger than this is not medlint's
TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This file is a cache directory tag created by medlint.\n"
       b"# For information about cache directory tags, see https://bford.info/cachedir/\n")
_TEMPORARY = r"\.[a-z0-9_]+" + re.escape(files.TEMPORARY_SUFFIX)  # what files.write_bytes leaves when killed
_STORE = r"(files|run)-[0-9a-f]{24}\.json"  # the run stores; per-file stores before format 3 too
_SIDECARS = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a store while it is open
_FILES = r"files-[0-9a-f]{24}\.sqlite3(-wal|-shm|-journal)?"
_OWN = re.compile(rf"{_STORE}|{_FILES}|\.{_STORE}{_TEMPORARY}|\.CACHEDIR\.TAG{_TEMPORARY}")  # all medlint names


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


_COLUMNS = "seal, size, mtime_ns, inode, digest, payload"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, seal TEXT, size INTEGER, mtime_ns INTEGER, "
           "inode INTEGER, digest TEXT, payload TEXT) WITHOUT ROWID")
# SQLite's answers for a file that is not this store (garbage, another schema): replaced at the next write.
# Any other error (a lock held past the timeout, a full disk) leaves the file alone.
_NOT_A_STORE = {1, 11, 26}  # SQLITE_ERROR (no such table or column), SQLITE_CORRUPT, SQLITE_NOTADB
_WAIT_SECONDS = 10.0  # how long a writer waits for another process's write
_BATCH = 2000  # rows a transaction writes


class Cache:
    """One cache store for one configuration; created per run, never shared through globals."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.folder = directory / SUBFOLDER
        self._secret = f"{FORMAT}|{__version__}|{key}"  # the seals' key: never written anywhere
        self.key = hashlib.sha256(self._secret.encode("utf-8", "surrogateescape")).hexdigest()[:24]
        self._db: sqlite3.Connection | None = None
        self._unreadable = False  # no store to read from this run: not asked again for every file
        # the rows read last (one, or read_rows' batch): a stat miss and the digest lookup after it read a row
        # once; never all of them (every encoded result of a warm run at 50,000 records is ~150 MB)
        self._rows: dict[str, _Stored | None] = {}

    @property
    def files_path(self) -> Path:
        return self.folder / f"files-{self.key}.sqlite3"

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

    def _mark(self) -> bool:
        """Create the subfolder and its tag where needed; False when something else has the subfolder's name."""
        try:
            if not self._marked():
                self.folder.mkdir(parents=True, exist_ok=True)
                if not stat_mod.S_ISDIR(os.lstat(self.folder).st_mode):
                    return False  # a link, or a file, in the subfolder's place: not medlint's
                files.write_bytes(self.folder / "CACHEDIR.TAG", TAG)
        except OSError:
            return False  # a cache that cannot be written is a slower run, not a failed one
        return True

    def _write(self, path: Path, document: object) -> bool:
        if not self._mark():
            return False
        try:
            files.write_text(path, json.dumps(document, separators=(",", ":")))
        except OSError:
            return False
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

    # --- single files: one SQLite row each, read and written one at a time ---

    def _store_files(self) -> tuple[Path, ...]:
        """The store and the files SQLite keeps beside it."""
        path = self.files_path
        return (path, *(path.with_name(path.name + suffix) for suffix in _SIDECARS))

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """The store, opened; None where it does not exist (and `create` is false), or where one of its files is
        anything but a regular file (SQLite would follow a link)."""
        if self._db is not None:
            return self._db
        if not create and self._unreadable:
            return None
        self._unreadable = not create  # until it opens
        if not (self._mark() if create else self._marked()):
            return None
        for path in self._store_files():
            try:
                if not stat_mod.S_ISREG(os.lstat(path).st_mode):
                    return None
            except FileNotFoundError:
                if path == self.files_path and not create:
                    return None
            except OSError:
                return None
        import sqlite3  # only a run that reads or writes per-file entries needs it

        try:
            db = sqlite3.connect(self.files_path, timeout=_WAIT_SECONDS, isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            # WAL: readers never wait for a writer, and a writer's commit is atomic whenever it is killed
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a power cut may lose the last run's rows, never corrupt
            db.execute(_SCHEMA)
        except sqlite3.Error as error:
            db.close()
            if create and _not_a_store(error):
                self._delete_store()
                return self._connect(create=False) if self._touch() else None
            return None
        self._db, self._unreadable = db, False
        return db

    def _touch(self) -> bool:
        """An empty store file, made where there is none (never through a link: O_EXCL)."""
        try:
            os.close(os.open(self.files_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644))
        except OSError:
            return False
        return True

    def _delete_store(self) -> None:
        """A store file SQLite cannot read as one (edited, truncated, another program's) is medlint's own file
        by its name, in its marked subfolder: it is deleted, to be made again."""
        self.close()
        for path in self._store_files():
            try:
                if stat_mod.S_ISREG(os.lstat(path).st_mode):
                    os.unlink(path)
            except OSError:
                pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()  # the last connection to close folds the write-ahead log into the store
            self._db = None

    def _seal(self, key: str, info: Stat | None, digest: str, payload: str) -> str:
        return self._digest("file", key, json.dumps(info), digest, payload)

    def _row(self, key: str) -> _Stored | None:
        if key not in self._rows:
            self.read_rows((key,))
        return self._rows[key]

    def read_rows(self, keys: Sequence[str]) -> None:
        """Read the rows of `keys` in one query, for the lookups that follow (a warm run looks up every file:
        one query each costs more than decoding the results); the rows read before are let go."""
        found: dict[str, _Stored | None] = dict.fromkeys(keys)
        db = self._connect(create=False)
        if db is not None and keys:
            import sqlite3

            try:
                rows = db.execute(f"SELECT key, {_COLUMNS} FROM entries WHERE key IN ({','.join('?' * len(keys))})",
                                  tuple(keys)).fetchall()
            except sqlite3.Error:
                rows = []
            for key, seal, size, mtime_ns, inode, digest, payload in rows:
                info = None if size is None and mtime_ns is None and inode is None else [size, mtime_ns, inode]
                with contextlib.suppress(codec.CodecError):  # a damaged row is a miss; the others stay usable
                    found[key] = codec.decode(_Stored, [seal, info, digest, payload])
        self._rows = found

    def _result(self, key: str, stored: _Stored) -> engine.FileResult | None:
        if stored.seal != self._seal(key, stored.stat, stored.digest, stored.payload):
            return None
        try:
            return codec.loads(stored.payload, engine.FileResult)
        except codec.CodecError:
            return None

    def lookup(self, key: str, info: Stat | None) -> engine.FileResult | None:
        """The cached result when the file is certainly unchanged by its stat alone."""
        stored = self._row(key)
        return self._result(key, stored) if stored is not None and info is not None and stored.stat == info else None

    def lookup_digest(self, key: str, digest: str) -> engine.FileResult | None:
        stored = self._row(key)
        return self._result(key, stored) if stored is not None and stored.digest == digest else None

    def store_files(self, entries: Iterable[tuple[str, Entry]]) -> None:
        """Write `entries` (key, entry) as they come, a row each, a batch of rows per transaction: sharing
        processes see a row whole or not at all, a killed run leaves whole rows, and one batch of encoded
        results is in memory at once (all of them: 150 MB at 50,000 records). `entries` is consumed whole."""
        horizon = (time.time() - RACY_SECONDS) * 1e9
        writing, written = True, 0
        rows: list[tuple[str | int | None, ...]] = []
        for key, entry in entries:
            if not writing:  # nothing of medlint's is there, or another process holds it
                continue
            trusted = entry.stat if entry.stat is not None and entry.stat.mtime_ns < horizon else None
            payload = codec.dumps(entry.result)
            rows.append((key, self._seal(key, trusted, entry.digest, payload),
                         *(trusted if trusted is not None else (None, None, None)), entry.digest, payload))
            if len(rows) >= _BATCH:
                writing, written, rows = self._insert(rows), written + len(rows), []
        if writing and (rows or not written):  # none at all: the store is made, and old ones pruned
            writing = self._insert(rows)
        self._rows = {}  # read before these writes
        self.close()
        if writing:
            self._prune()

    def _insert(self, rows: list[tuple[str | int | None, ...]]) -> bool:
        for attempt in range(2):
            db = self._connect(create=True)
            if db is None:
                return False
            import sqlite3

            try:
                db.execute("BEGIN IMMEDIATE")  # waits for another process's write, up to _WAIT_SECONDS
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                db.execute("COMMIT")
            except sqlite3.Error as error:
                if attempt == 0 and _not_a_store(error):
                    self._delete_store()  # a table of another shape under the store's name: made again, once
                    continue
                self.close()
                return False  # a store another process holds too long, or a full disk: a slower next run
            return True
        return False

    def _prune(self) -> None:
        """Delete medlint's own files in its own marked subfolder that no run has written for a while: a store
        with the files SQLite keeps beside it only when all of them are that old."""
        cutoff = time.time() - MAX_AGE_DAYS * 86400
        if not self._marked():
            return
        try:
            with os.scandir(self.folder) as listing:
                own = [(item.path, _store_of(item.name), item.stat(follow_symlinks=False).st_mtime)
                       for item in listing if _OWN.fullmatch(item.name) and item.is_file(follow_symlinks=False)]
            recent = {store for _, store, mtime in own if mtime >= cutoff}
            for path, store, _ in own:
                if store not in recent:
                    os.unlink(path)
        except OSError:
            pass


def _not_a_store(error: Exception) -> bool:
    return getattr(error, "sqlite_errorcode", None) in _NOT_A_STORE


def _store_of(name: str) -> str:
    return next((name[: -len(suffix)] for suffix in _SIDECARS if name.endswith(suffix)), name)


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
