"""Which files a run checks: the paths given and the folders walked (one `os.scandir` a folder), less what
the config's `exclude` leaves out, each file a Target with the reason it must not be read, if any."""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from .decode import Problem
from .escaping import visible
from .model import Position

SUFFIXES = (".yaml", ".yml")


class Target(NamedTuple):
    path: Path  # as found (may be relative)
    display: str
    problem: Problem | None = None  # set when the file must not be read at all
    table: bool = False  # a dose-limit table, not a record


def display_path(path: Path) -> str:
    """The path as the user should read it: relative to the current folder when it is inside it.
    Pure string work: resolving every one of 50,000 paths would cost more than linting some of them.
    A name that is not UTF-8 cannot be written in any output: its bytes are shown escaped (`\\xff`)."""
    text = os.path.normpath(path)
    if os.path.isabs(text):
        relative = os.path.relpath(text, os.getcwd())
        if not relative.startswith(".."):
            text = relative
    text = text.replace(os.sep, "/")
    return text if utf8_name(text) else visible(text)


def utf8_name(name: str) -> bool:
    if name.isascii():  # nearly every name, and far cheaper than encoding it
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # Python decodes the bytes of a name that is not UTF-8 to lone surrogates
        return False
    return True


def outside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return False
    except ValueError:
        return True
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): reading it says so
        return False


def as_target(path: Path, root: Path, table: bool = False, link: bool | None = None) -> Target:
    """A file to check, with the reason it must not be read, if any: a symbolic link out of the repository
    (reading it would publish what it points at), or a name that is not UTF-8. `link`: whether it is a
    symbolic link, when the caller's folder listing already says."""
    problem = None
    if (os.path.islink(path) if link is None else link) and outside(path, root):
        problem = Problem("unreadable", f"this is a symbolic link to {visible(os.readlink(path))}, outside the "
                                   "repository; it was not read", Position(1, 1, 1, 1), "commit the file itself")
    elif not utf8_name(os.fspath(path)):
        problem = Problem("unreadable", "the file's name (or its folder's) is not valid UTF-8, shown here with its "
                                   "bytes escaped; it was not read", Position(1, 1, 1, 1),
                          "rename it: record paths become page addresses and ids, which are UTF-8")
    return Target(path, display_path(path), problem, table)


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


class Found(NamedTuple):
    targets: list[Target]  # each record file once, sorted
    missing: list[str]  # the paths that do not exist
    walked: frozenset[str]  # absolute folders read whole: each of their record files is a target
    absolute: tuple[str, ...] = ()  # each target's absolute path, as os.path.abspath gives it


def find(paths: Sequence[str], root: Path, tables: Path | None = None, exclude: Sequence[str] = ()) -> Found:
    """Record files under `paths`, the paths that do not exist, and the folders walked; without the files
    `exclude` names (named ones too, so that the pre-commit hook skips them as a folder walk does). Files
    directly in the folder `tables` are dose-limit tables."""
    table_folder = os.path.abspath(tables) if tables is not None else None
    seen: set[str] = set()
    targets: list[Target] = []
    missing: list[str] = []
    walked: set[str] = set()
    absolute: list[str] = []

    def add(path: str, key: str, link: bool | None = None) -> None:
        if key in seen or (exclude and excluded(Path(path), root, exclude)):
            return
        seen.add(key)
        absolute.append(key)
        targets.append(as_target(Path(path), root, os.path.dirname(key) == table_folder, link))

    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            missing.append(raw)
        elif path.is_dir() and not path.is_symlink():
            _walk(os.fspath(path), os.path.abspath(path), root, exclude, walked, add)
        else:
            add(os.fspath(path), os.path.abspath(path))
    return Found(targets, missing, frozenset(walked), tuple(absolute))


def _walk(top: str, absolute: str, root: Path, exclude: Sequence[str], walked: set[str],
          add: Callable[[str, str, bool], None]) -> None:
    """os.walk's order (a folder's files by name, then its subfolders by name, links to folders not
    followed), with one `scandir` a folder and no path objects: a warm run of 50,000 records is mostly this."""
    stack = [(top, absolute)]
    while stack:
        folder, folder_key = stack.pop()
        walked.add(folder_key)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # gone, or unreadable: os.walk skips it too
            continue
        below = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            path = os.path.join(folder, name)
            if is_dir:
                if not name.startswith(".") and not entry.is_symlink() and not (
                        exclude and excluded(Path(path), root, exclude)):
                    below.append((path, os.path.join(folder_key, name)))
            elif name.endswith(SUFFIXES):
                add(path, os.path.join(folder_key, name), entry.is_symlink())
        stack.extend(reversed(below))


def discover(paths: Sequence[str], root: Path, tables: Path | None = None,
             exclude: Sequence[str] = ()) -> tuple[list[Target], list[str]]:
    """Record files under `paths`, each once, sorted, without those `exclude` names; and the paths that do
    not exist. Files directly in the folder `tables` are dose-limit tables."""
    found = find(paths, root, tables, exclude)
    return found.targets, found.missing

