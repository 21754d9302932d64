"""Data safety when a run dies: a real `medlint fix` (and `medlint check` writing its cache) killed while it
writes leaves every file either as it was or as fixed, never half written, and nothing but its own temporary
file next to the record it was writing; and `fix` never writes outside the repository.

Two kinds of kill. Precise ones: the child process is the real CLI, started through a small launcher that
wraps `os.fdopen`/`os.replace` (the write steps of files.write_bytes, the one writer of every file medlint
writes) only to pick the moment (half the bytes written, before the rename, after it) and then sends itself
SIGKILL or SIGINT; nothing in medlint is changed for the test. And blind ones: SIGKILL from outside at random
moments of a run over a larger corpus, repeated.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from robustness_support import BASE, TODAY, run, snapshot, write

pytestmark = pytest.mark.slow  # real processes, killed at random moments

BOM = b"\xef\xbb\xbf"
FIX_TEMPORARY = re.compile(r"^records/[^/]+/\.[^/]+\.yaml\.[^/]+\.medlint-tmp$")  # files.write_bytes' mkstemp names

LAUNCHER = textwrap.dedent("""
    import os, signal, sys

    point, nth, how = sys.argv[1], int(sys.argv[2]), getattr(signal, sys.argv[3])
    seen = {"fdopen": 0, "replace": 0}
    real_fdopen, real_replace = os.fdopen, os.replace

    def die():
        os.kill(os.getpid(), how)

    class HalfThenDie:
        def __init__(self, stream):
            self.stream = stream
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.stream.__exit__(*exc)
        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            os.fsync(self.stream.fileno())
            die()
            self.stream.write(data[len(data) // 2 :])  # reached only if the signal is handled (SIGINT)
        def __getattr__(self, name):
            return getattr(self.stream, name)

    def fdopen(fd, mode="r", *args, **kwargs):
        stream = real_fdopen(fd, mode, *args, **kwargs)
        if mode == "wb":  # files.write_bytes: a record that fix writes, or a cache file that check writes
            seen["fdopen"] += 1
            if point == "mid-write" and seen["fdopen"] == nth:
                return HalfThenDie(stream)
        return stream

    def replace(source, target, *args, **kwargs):
        is_record = str(target).endswith(".yaml")
        seen["replace"] += is_record
        if is_record and point == "before-rename" and seen["replace"] == nth:
            die()
        real_replace(source, target, *args, **kwargs)
        if is_record and point == "after-rename" and seen["replace"] == nth:
            die()

    import sqlite3
    real_connect = sqlite3.connect

    class DieMidTransaction:  # the per-file store: killed after half its rows went into the open transaction
        def __init__(self, db):
            self.db = db
        def executemany(self, sql, rows):
            rows = list(rows)
            def half_then_die():
                for index, row in enumerate(rows):
                    if index == len(rows) // 2:
                        die()
                    yield row
            return self.db.executemany(sql, half_then_die())
        def __getattr__(self, name):
            return getattr(self.db, name)

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        return DieMidTransaction(db) if point == "mid-transaction" else db

    os.fdopen, os.replace, sqlite3.connect = fdopen, replace, connect
    from medlint.cli import main
    sys.exit(main(sys.argv[4:]))
""")


def corpus(root: Path, count: int) -> dict[str, tuple[bytes, bytes]]:
    """`count` records that each need one fix (a byte-order mark): path -> (bytes before, bytes once fixed)."""
    out = {}
    for index in range(count):
        path = f"records/drug{index:03}/spinal-muscular-atrophy.yaml"
        fixed = BASE.replace("id: zolgensma/", f"id: drug{index:03}/").encode()
        write(root, path, BOM + fixed)
        out[path] = (BOM + fixed, fixed)
    return out


def medlint(root: Path, *argv: str, point: str = "none", nth: int = 0, how: str = "SIGKILL") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", LAUNCHER, point, str(nth), how, *argv, "--today", TODAY],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_old_or_new(root: Path, records: dict[str, tuple[bytes, bytes]], before: dict[str, bytes | str]) -> set[str]:
    """Every record is entirely old or entirely new; any other change is fix's own temporary file in a
    record's folder. Returns the records that are new."""
    after = snapshot(root)
    new = set()
    for path, (old, fixed) in records.items():
        assert after[path] in (old, fixed), f"{path} is half written: {len(after[path])} bytes"
        if after[path] == fixed:
            new.add(path)
    others = {path for path in before.keys() | after.keys()
              if path not in records and before.get(path) != after.get(path)}
    assert all(FIX_TEMPORARY.match(path) for path in others), others
    return new


@pytest.mark.parametrize(("point", "nth", "new"), [
    ("mid-write", 3, 2),  # half of the third file's bytes are on disk, in the temporary file
    ("before-rename", 3, 2),  # all of them are, and fsynced; the rename has not happened
    ("after-rename", 3, 3),  # the third file is replaced; the fourth is not started
])
def test_fix_killed_while_writing(repo: Path, point: str, nth: int, new: int) -> None:
    records = corpus(repo, 5)
    before = snapshot(repo)
    killed = medlint(repo, "fix", point=point, nth=nth)
    killed.communicate()
    assert killed.returncode == -signal.SIGKILL
    assert len(assert_old_or_new(repo, records, before)) == new
    leftovers = [path for path in snapshot(repo) if FIX_TEMPORARY.match(path)]
    assert len(leftovers) == (0 if point == "after-rename" else 1)
    # the next runs are unaffected: check does not read the leftover, fix finishes the job
    checked = run_cli(repo, "check", "--format", "json")
    assert {f["path"] for f in json.loads(checked.stdout)["findings"]} <= set(records)
    assert run_cli(repo, "fix").returncode == 0
    assert len(assert_old_or_new(repo, records, before)) == len(records)


def test_fix_interrupted_while_writing_cleans_up(repo: Path) -> None:
    """Ctrl-C (SIGINT) half way through a write: the old file stays, and no temporary file is left behind."""
    records = corpus(repo, 5)
    before = snapshot(repo)
    interrupted = medlint(repo, "fix", point="mid-write", nth=2, how="SIGINT")
    interrupted.communicate()
    assert interrupted.returncode == 130
    assert len(assert_old_or_new(repo, records, before)) == 1
    assert not [path for path in snapshot(repo) if FIX_TEMPORARY.match(path)]


def test_fix_killed_at_random_moments(repo: Path) -> None:
    """SIGKILL from outside, at a random moment of each run, over and over; the corpus is restored each time."""
    records = corpus(repo, 60)
    before = snapshot(repo)
    started = time.monotonic()
    assert run_cli(repo, "fix").returncode == 0
    duration = time.monotonic() - started
    chance = random.Random(20261125)
    for _ in range(6):
        for path, (old, _) in records.items():
            (repo / path).write_bytes(old)
        for leftover in [path for path in snapshot(repo) if FIX_TEMPORARY.match(path)]:
            (repo / leftover).unlink()
        process = medlint(repo, "fix")
        time.sleep(chance.uniform(0.1, duration))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert_old_or_new(repo, records, before)
    assert run_cli(repo, "fix").returncode == 0 and len(assert_old_or_new(repo, records, before)) == len(records)


def test_check_killed_while_writing_its_cache(repo: Path, tmp_path: Path) -> None:
    """A half-written cache file is never read as a result: the next run gives the answer a fresh run gives."""
    write(repo, "records/zolgensma/other.yaml", BASE.replace("route: intravenous", "route: IV")
          .replace("spinal-muscular-atrophy", "other"))
    for path in (repo / "records").rglob("*.yaml"):
        os.utime(path, (time.time() - 60, time.time() - 60))  # old enough for the whole-run store to be written
    cache = tmp_path / "cache"
    fresh = run_cli(repo, "check", "--format", "json", "--no-cache")
    # a cold run writes the subfolder's CACHEDIR.TAG and the run store as files, the per-file store in SQLite
    for point, nth in (("mid-write", 1), ("mid-write", 2), ("mid-transaction", 0)):
        shutil.rmtree(cache, ignore_errors=True)
        killed = medlint(repo, "check", "--format", "json", "--cache-dir", str(cache), point=point, nth=nth)
        killed.communicate()
        assert killed.returncode == -signal.SIGKILL
        for _ in range(2):  # the first run repairs the cache, the second reads it
            again = run_cli(repo, "check", "--format", "json", "--cache-dir", str(cache))
            assert (again.returncode, again.stdout) == (fresh.returncode, fresh.stdout)
    stores = list((cache / "medlint-cache-v2").glob("*.json"))  # the temporary file of the kill is not one
    assert len(stores) == 1 and all(json.loads(path.read_text(encoding="utf-8")) for path in stores)
    assert len(list((cache / "medlint-cache-v2").glob("files-*.sqlite3"))) == 1


def run_cli(root: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "medlint.cli", *argv, "--today", TODAY], cwd=root,
                          capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_fix_never_writes_outside_the_repository(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record that is a symbolic link to a file outside, and a folder that is a link to one: both need a fix,
    neither is written, by `fix` over the whole corpus or by `fix` naming the link."""
    outside = repo.parent / "outside"
    write(outside, "zolgensma/spinal-muscular-atrophy.yaml", BOM + BASE.encode())
    write(outside, "file.yaml", BOM + BASE.encode())
    os.symlink(outside / "file.yaml", repo / "records/zolgensma/linked.yaml")
    os.symlink(outside / "zolgensma", repo / "records/linked-folder")
    before = snapshot(outside)
    assert run(capsys, "fix", "--today", TODAY).code == 1  # the linked record is refused: not fixed
    assert run(capsys, "fix", "--today", TODAY, "records/zolgensma/linked.yaml").code == 1
    assert snapshot(outside) == before


WRITES = textwrap.dedent("""
    import os, sys
    WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    def hook(event, args):
        if event == "open":
            file, mode, flags = args
            writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & WRITING)
            paths = [file] if writing and not isinstance(file, int) else []
        elif event in ("os.rename", "os.link", "os.symlink"):
            paths = args[:2]
        elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime"):
            paths = args[:1]
        else:
            return
        for path in paths:
            if not isinstance(path, int):
                os.write(2, b"WROTE " + os.fsencode(os.path.abspath(os.fsdecode(path))) + b"\\n")
    sys.dont_write_bytecode = True
    sys.addaudithook(hook)
    from medlint.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_writes_stay_in_the_repository_and_the_cache(repo: Path, tmp_path: Path) -> None:
    """Every file any command creates, writes, renames, removes or changes the mode of (Python's audit hooks
    report each one) lies in the cache folder, the output named on the command line, or, for `fix`, the
    records it fixes; whatever the records hold, symbolic links out of the repository included."""
    records = corpus(repo, 3)
    outside = write(tmp_path, "outside/secret.yaml", BOM + BASE.encode())
    os.symlink(outside, repo / "records/drug000/linked.yaml")
    cache, out = tmp_path / "cache-dir", tmp_path / "out"
    out.mkdir()
    runs = {
        ("check", "--cache-dir", str(cache)): [cache],
        ("check", "--cache-dir", str(cache), "--output", str(out / "r.sarif"), "--format", "sarif"): [cache, out],
        ("report", "--out", str(out / "r.html")): [Path(os.environ["XDG_CACHE_HOME"]), out],
        ("baseline", "--output", str(out / "b.json")): [Path(os.environ["XDG_CACHE_HOME"]), out],
        ("fix",): [*(repo / path for path in records)],
    }
    for argv, allowed in runs.items():
        done = subprocess.run([sys.executable, "-c", WRITES, *argv, "--today", TODAY], cwd=repo,
                              capture_output=True, text=True)
        assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
        written = {Path(line[len("WROTE "):]) for line in done.stderr.splitlines() if line.startswith("WROTE ")}
        assert written, argv  # the hook sees writes: each of these commands makes some
        stray = [path for path in written
                 if not any(path == place
                            or (path.parent == place.parent and path.name.startswith(f".{place.name}."))
                            or (path.is_relative_to(place) and place.is_dir())
                            for place in allowed)]
        assert not stray, (argv, stray)
    assert outside.read_bytes() == BOM + BASE.encode()
