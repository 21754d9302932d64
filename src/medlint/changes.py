"""`--changed-since REV`: which records changed since a git revision, and what they said at that revision.

Reads git without checking anything out (`git diff`, `git show REV:path`), so it works in any worktree
and leaves the working tree alone. Changes are measured from the merge base of REV and HEAD, as
`git diff REV...` does: commits that landed on the target branch after a pull request branched off are
not the pull request's changes. The working tree counts (uncommitted and untracked files too), because
that is what medlint reads.
"""
from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from . import load, rules
from .discovery import Target, display_path
from .errors import UserError
from .model import Finding
from .record import Record

CORPUS_CODES = frozenset(rule.code for rule in rules.RULES if rule.check_corpus is not None)
LIMIT_CODES = frozenset(rule.code for rule in rules.RULES if rule.family == "limits")
_FETCH_HINT = ("in a shallow CI clone, fetch it first (GitHub: actions/checkout with `fetch-depth: 0`; "
               "GitLab: `GIT_DEPTH: 0`, or `git fetch origin <branch>`)")


class GitError(UserError):
    """git could not answer: reported as one clear message, exit code 2."""


class Changes(NamedTuple):
    top: Path  # the work tree's top folder, which git's paths are relative to
    base: str  # the commit compared against
    changed: dict[str, str | None]  # path now -> path at `base` (None when the file is new)
    deleted: frozenset[str]


class Selection(NamedTuple):
    paths: list[str]  # the files to check, as found: changed records, the other records of their drug folders
    # and the records of a drug whose dose-limit table changed
    changed: frozenset[str]  # display paths whose every finding is reported
    previous: dict[str, Record | None]  # display path -> the record at `base`, None when it is new
    deleted: list[str]  # display paths of records deleted since `base`
    limited: frozenset[str] = frozenset()  # display paths of records whose drug's dose-limit table changed

    def keep(self, finding: Finding) -> bool:
        """A changed record reports everything; an unchanged neighbour only what records say about each other,
        and what a changed dose-limit table says of it."""
        return (finding.path in self.changed or finding.code in CORPUS_CODES
                or (finding.path in self.limited and finding.code in LIMIT_CODES))

    def describe(self, rev: str) -> str:
        others = len(self.paths) - len(self.changed)
        return (f"medlint: {len(self.changed)} changed file(s) since {rev}, checked with {others} other "
                f"record(s) of their drug folders; {len(self.deleted)} deleted")


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except OSError as exc:
        raise GitError(f"--changed-since needs git, which could not be run: {exc.strerror or exc}") from None


def _output(args: Sequence[str], cwd: Path, failure: str) -> bytes:
    done = _git(args, cwd)
    if done.returncode != 0:
        detail = os.fsdecode(done.stderr).strip().splitlines()
        raise GitError(failure + (f" (git: {detail[-1]})" if detail else ""))
    return done.stdout


def _nul_split(data: bytes) -> list[str]:
    return [os.fsdecode(part) for part in data.split(b"\0") if part]


def since(rev: str, cwd: Path) -> Changes:
    """The files that differ between the merge base of `rev` and HEAD, and the working tree."""
    if not rev or rev.startswith("-"):
        raise GitError(f"--changed-since {rev!r} is not a revision")
    top = Path(os.fsdecode(_output(["rev-parse", "--show-toplevel"], cwd,
                                   f"--changed-since needs a git repository, and {cwd} is not in one")).strip())
    commit = _output(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top,
                     f"--changed-since {rev!r}: no such commit in this repository; {_FETCH_HINT}")
    sha = commit.decode().strip()
    merge_base = _git(["merge-base", sha, "HEAD"], top)
    base = merge_base.stdout.decode().strip() if merge_base.returncode == 0 else sha  # unrelated histories
    # explicit flags, so that no user config (diff.relative, color.ui=always) changes what is parsed
    fields = _nul_split(_output(["diff", "--name-status", "-z", "-M", "--no-relative", "--no-color", base, "--"], top,
                                f"cannot compare the working tree with {rev!r}"))
    changed: dict[str, str | None] = {}
    deleted: set[str] = set()
    index = 0
    while index < len(fields):
        status = fields[index]
        if status[0] in "RC":  # renamed or copied: old path, then new path
            old, new = fields[index + 1], fields[index + 2]
            changed[new] = old
            if status[0] == "R":
                deleted.add(old)
            index += 3
            continue
        path = fields[index + 1]
        if status[0] == "D":
            deleted.add(path)
        else:
            changed[path] = None if status[0] == "A" else path
        index += 2
    untracked = _output(["ls-files", "--others", "--exclude-standard", "-z"], top, "cannot list untracked files")
    changed.update((path, None) for path in _nul_split(untracked))
    return Changes(top.resolve(), base, changed, frozenset(deleted - set(changed)))


def _repo_path(path: Path, top: Path) -> str | None:
    """`path` relative to the work tree's top, or None when it lies outside it."""
    absolute = Path(os.path.abspath(path))
    for candidate in (absolute, absolute.parent.resolve() / absolute.name):  # the second sees through symlinks
        try:
            return candidate.relative_to(top).as_posix()
        except ValueError:
            continue
    return None


def _previous(changes: Changes, old: str, target: Target, max_bytes: int) -> Record | None:
    shown = _git(["show", f"{changes.base}:{old}"], changes.top)
    if shown.returncode != 0:
        return None
    return load.load_text(shown.stdout, target.display, expected=load.expected_id(Path(old)),
                          max_bytes=max_bytes).record


def _in(path: Path, scope: Sequence[Path]) -> bool:
    return any(path == item or item in path.parents for item in scope)


def select(changes: Changes, targets: Sequence[Target], scope: Sequence[str], max_bytes: int,
           tables: Path | None = None) -> Selection:
    """Of `targets` (what the user asked to check), the changed files, the records that share a drug
    folder with a changed, renamed or deleted record, since cross-record rules compare them, and the records
    of a drug whose dose-limit table (a file in `tables`) changed.

    Files outside the repository cannot be compared, so they count as changed, with no previous version.
    """
    moved = [*changes.changed, *(old for old in changes.changed.values() if old), *changes.deleted]
    folders = {posixpath.dirname(path) for path in moved if load.expected_id(Path(path)) is not None}
    table_folder = _repo_path(tables, changes.top) if tables is not None else None
    drugs = {posixpath.splitext(posixpath.basename(path))[0] for path in moved
             if table_folder is not None and posixpath.dirname(path) == table_folder}
    paths: list[str] = []
    changed: set[str] = set()
    limited: set[str] = set()
    previous: dict[str, Record | None] = {}
    for target in targets:
        repo = _repo_path(target.path, changes.top)
        expected = load.expected_id(Path(repo)) if repo else None
        if repo is None or repo in changes.changed:
            old = changes.changed.get(repo) if repo else None
            previous[target.display] = _previous(changes, old, target, max_bytes) if old else None
            changed.add(target.display)
            paths.append(os.fspath(target.path))
        elif posixpath.dirname(repo) in folders or (expected and expected.split("/")[0] in drugs):
            paths.append(os.fspath(target.path))
            if expected and expected.split("/")[0] in drugs:
                limited.add(target.display)
    roots = [Path(item).resolve() for item in scope]
    deleted = sorted(display_path(changes.top / path) for path in changes.deleted
                     if load.expected_id(Path(path)) is not None and _in(changes.top / path, roots))
    return Selection(paths, frozenset(changed), previous, deleted, frozenset(limited))
