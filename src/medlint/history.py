"""`medlint report --history 12w`: findings and reviews due, week by week, from the content repository's git
history, so that editors can see whether errors and overdue reviews are going down.

Each week is the commit that was HEAD (following first parents) at the end of its last day. Its records are
read out of git (`git ls-tree`, `git cat-file --batch`), never checked out: the working tree is left alone.
They are linted as the report lints today's files (the same config, the same `--today`), against the
dose-limit tables of the same commit, so the results cache answers for every blob whose bytes (and whose
drug's table) are those in the working tree, and a blob that did not change from one week to the next is
linted once. Findings measured against today's date (DATED) would say nothing about a past week, so they
are left out of the weekly counts; the reviews are counted instead from each week's own records, against
that week's date.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from . import cache as cache_mod, discovery, engine, limits, runner
from .cache import Cache
from .changes import GitError
from .config import Config
from .model import Finding, Severity
from .rules import review
from .summary import SUMMARY, review_queue

# Rules whose findings depend on the date they are measured against (tests/test_history.py proves that no
# other rule's do): a review overdue today was not overdue ten weeks ago.
DATED = frozenset(rule.code for rule in (review.REVIEW_DATE_IN_FUTURE, review.REVIEW_OVERDUE, review.REVIEW_DUE_SOON))
DUE_SOON_DAYS = 30
MAX_WEEKS = 520
_SPAN = re.compile(r"([1-9][0-9]*)w")
_MODES = (b"100644", b"100755")  # regular files; links and submodules are not records


class Week(NamedTuple):
    end: dt.date  # the week's last day
    commit: str  # the commit that was HEAD then; "" before the repository's first commit
    records: int
    errors: int
    warnings: int
    with_errors: int  # records with at least one error
    overdue: int  # reviews due before `end`
    due_soon: int  # reviews due on `end` or within DUE_SOON_DAYS days after it


def weeks_of(text: str) -> int:
    """`12w` -> 12. Raises ValueError for anything else."""
    match = _SPAN.fullmatch(text.strip())
    if match is None or int(match.group(1)) > MAX_WEEKS:
        raise ValueError(f"{text!r} is not a number of weeks from 1w to {MAX_WEEKS}w (for example 12w)")
    return int(match.group(1))


def week_ends(today: dt.date, weeks: int) -> list[dt.date]:
    """The last day of each of `weeks` weeks, oldest first, the last one `today`."""
    return [today - dt.timedelta(days=7 * back) for back in range(weeks - 1, -1, -1)]


def tally(end: dt.date, commit: str, results: Sequence[engine.FileResult], findings: Sequence[Finding]) -> Week:
    """One week's counts from its records as linted and finished (suppressions applied)."""
    active = [f for f in findings if f.suppressed is None and f.code not in DATED]
    errors = [f for f in active if f.severity is Severity.ERROR]
    queue = review_queue((SUMMARY.of(r.facts) for r in results if r.facts is not None), end)
    return Week(end, commit, sum(1 for r in results if r.facts is not None), len(errors),
                len(active) - len(errors), len({f.path for f in errors}),
                sum(1 for row in queue if row.status == "overdue"),
                sum(1 for row in queue if row.days is not None and 0 <= row.days <= DUE_SOON_DAYS))


class _Repository:
    """The git repository around the working directory, read with plumbing commands only."""

    def __init__(self, cwd: Path) -> None:
        found = self._git(["rev-parse", "--show-toplevel"], cwd)
        if found.returncode != 0:
            raise GitError(f"--history needs a git repository, and {cwd} is not in one")
        self.top = Path(os.fsdecode(found.stdout).strip())
        self.born = self._git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], self.top).returncode == 0

    @staticmethod
    def _git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(["git", "--literal-pathspecs", *args], cwd=cwd, input=stdin, capture_output=True,
                                  check=False, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        except OSError as exc:
            raise GitError(f"--history needs git, which could not be run: {exc.strerror or exc}") from None

    def git(self, args: Sequence[str], failure: str, stdin: bytes | None = None) -> bytes:
        done = self._git(args, self.top, stdin)
        if done.returncode != 0:
            detail = os.fsdecode(done.stderr).strip().splitlines()
            raise GitError(failure + (f" (git: {detail[-1]})" if detail else ""))
        return done.stdout

    def commit_at(self, day: dt.date) -> str:
        """The commit that was HEAD at the end of `day`; "" when there was none yet."""
        if not self.born:
            return ""
        return os.fsdecode(self.git(["rev-list", "-1", "--first-parent", f"--before={day.isoformat()} 23:59:59",
                                     "HEAD"], f"cannot read the history before {day.isoformat()}")).strip()

    def records(self, commit: str, specs: Sequence[str]) -> list[tuple[str, str]]:
        """(path from the top, blob id) of every record file under `specs` at `commit`; as `check` walks a
        folder, files under a folder whose name starts with a dot are not records."""
        listing = self.git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *specs],
                           f"cannot list the records of commit {commit}")
        out = []
        for entry in listing.split(b"\0"):
            head, _, name = entry.partition(b"\t")
            fields = head.split()
            path = os.fsdecode(name)
            if (len(fields) == 3 and fields[0] in _MODES and fields[1] == b"blob" and path.endswith(discovery.SUFFIXES)
                    and not any(_hidden_below(path, spec) for spec in specs)):
                out.append((path, os.fsdecode(fields[2])))
        return out

    def blobs(self, ids: Sequence[str]) -> dict[str, bytes]:
        if not ids:
            return {}
        data = self.git(["cat-file", "--batch"], "cannot read records from git",
                        "".join(f"{blob}\n" for blob in ids).encode())
        out: dict[str, bytes] = {}
        position = 0
        for blob in ids:
            end = data.index(b"\n", position)
            size = int(data[position:end].split()[2])
            out[blob] = data[end + 1: end + 1 + size]
            position = end + 2 + size
        return out


def _hidden_below(path: str, spec: str) -> bool:
    """Whether `path` is under a dot-folder inside the folder `spec` (a file named by itself never is)."""
    folder = "" if spec == "." else spec.rstrip("/") + "/"
    inside = path[len(folder):] if path.startswith(folder) else ""
    return any(part.startswith(".") for part in inside.split("/")[:-1])


def _relative(repo: _Repository, path: Path) -> str | None:
    """`path` from the top of the repository, "/"-separated; None when it is outside."""
    relative = os.path.relpath(os.path.realpath(path), repo.top).replace(os.sep, "/")
    return None if relative == ".." or relative.startswith("../") else relative


def _limits(repo: _Repository, commit: str, folder: str | None, config: Config,
            known: dict[str, limits.Table]) -> limits.LimitSet | None:
    """The dose-limit tables as they were at `commit`, read as runner.read_limits reads today's (each blob
    once); a tables' folder outside the repository has no history, so every week gets today's tables."""
    if folder is None:
        return runner.read_limits(config)[0]
    files = [(path, blob) for path, blob in repo.records(commit, [folder]) if posixpath.dirname(path) == folder]
    if not files:  # git keeps no empty folder: there was none
        return (limits.LimitSet(discovery.display_path(config.limits_folder), {}, True) if config.require_limits
                else None)
    contents = repo.blobs(sorted({blob for _, blob in files if blob not in known}))
    for path, blob in files:
        if blob not in known:
            source = runner.from_bytes(_target(repo, path, True), contents[blob], config.max_file_bytes)
            known[blob] = runner.table_of(source, cache_mod.digest(contents[blob]), config)
    return limits.LimitSet(discovery.display_path(config.limits_folder),
                           {posixpath.splitext(posixpath.basename(path))[0]: known[blob] for path, blob in files},
                           config.require_limits)


def _target(repo: _Repository, path: str, table: bool) -> discovery.Target:
    return discovery.Target(repo.top / path, discovery.display_path(repo.top / path), table=table)


def weekly(paths: Sequence[str], config: Config, today: dt.date, weeks: int,
           cache: Cache | None = None) -> list[Week]:
    """Findings and reviews due at the end of each of the last `weeks` weeks, oldest first, for the records
    under `paths` (as given to `medlint report`), in the git repository that holds them, each week checked
    against its own dose-limit tables. Raises GitError."""
    first = Path(paths[0]) if paths else Path(".")
    repo = _Repository((first if first.is_dir() else first.parent).resolve())
    specs = []
    for path in paths:
        relative = _relative(repo, Path(path))
        if relative is None:
            raise GitError(f"--history reads the git repository at {repo.top}, and {path} is outside it")
        specs.append(relative)
    folder = _relative(repo, config.limits_folder)
    tables: dict[str, limits.Table] = {}  # blob id -> the table it makes
    linted: dict[tuple[str, str], engine.FileResult] = {}  # (path, blob id): each blob linted once per table
    snapshots: dict[str, tuple[list[engine.FileResult], list[Finding]]] = {"": ([], [])}
    out = []
    for end in week_ends(today, weeks):
        commit = repo.commit_at(end)
        if commit not in snapshots:
            run = engine.Run(today, limits=_limits(repo, commit, folder, config, tables))
            files = [(path, blob) for path, blob in repo.records(commit, specs)
                     if not discovery.excluded(repo.top / path, config.root, config.exclude)]
            todo = [item for item in files if runner.current(linted.get(item), run) is None]
            contents = repo.blobs(sorted({blob for _, blob in todo}))
            for path, blob in todo:
                target = _target(repo, path, posixpath.dirname(path) == folder)
                linted[path, blob] = runner.lint_bytes(target, contents[blob], config, run, cache)
            results = [linted[item] for item in files]
            snapshots[commit] = results, engine.finish(results, config, run)
        out.append(tally(end, commit, *snapshots[commit]))
    return out
