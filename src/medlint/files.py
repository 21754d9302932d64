"""The one writer of every file medlint writes: reports (`--output`, `--report FMT:FILE`, `report --output`),
baselines, the records `fix` repairs, the records `medlint new` starts, and the cache.

- Atomic: the bytes go to a temporary file in the target's folder (`.<name>.<random>.medlint-tmp`), are
  flushed to disk, and the file is renamed over the target. A reader, or a run killed at any moment, sees
  the old file or the new one, never half of one.
- Never through a symbolic link: a link at the target is refused (`LinkRefused`), whatever it points at, and
  so is a link among the target's folders inside the current folder (the repository's checkout, in CI). A
  pull request can commit `medlint.sarif -> ../../victim` or `reports -> /elsewhere`; writing the report
  must not overwrite the victim, and silently replacing a link the user made would surprise them. A link
  that appears at the target while the file is written is replaced, not followed: a rename replaces the
  name, never what a link points at. Folders above the current one (`/tmp`, a home folder on another
  disk) are the machine's, not the repository's, and may be links.
- The process's own streams (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, which are
  links, and what bash's `>(...)` passes) are written to the descriptor, as `-` is. A pipe or device that
  is not a link (a `mkfifo`, a CI runner's special file) is written in place: renaming over it would
  replace the device node itself. Neither can come from a repository: git stores files and links only.
- A file that is replaced keeps its permissions; a new one gets 0644.
- `new=True` (`medlint new`) never replaces anything: where the name is taken it raises FileExistsError
  (LinkRefused for a link, even one that points nowhere), and the finished temporary file is hard-linked
  into place, which fails where the name was taken meanwhile.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path

TEMPORARY_SUFFIX = ".medlint-tmp"
_STREAM = re.compile(r"/dev/(stdout|stderr|fd/(\d+))|/proc/self/fd/(\d+)")


class LinkRefused(OSError):
    """The target is a symbolic link: medlint does not write through one."""


def write_text(path: Path, text: str, *, new: bool = False) -> None:
    write_bytes(path, text.encode("utf-8"), new=new)


def write_bytes(path: Path, data: bytes, *, new: bool = False) -> None:
    """Write `data` to `path` as the module docstring says; raises OSError (LinkRefused for a link). With
    `new` (`medlint new`), the file must not exist yet: FileExistsError where anything has its name."""
    stream = _STREAM.fullmatch(os.path.normpath(os.path.abspath(path)))
    if stream and not new:
        named, number, proc = stream.groups()
        return _write_descriptor({"stdout": 1, "stderr": 2}.get(named or "") or int(number or proc), data)
    try:
        info: os.stat_result | None = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file or a link to one on the way: said below
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise LinkRefused(errno.ELOOP, f"it is a symbolic link (to {os.readlink(path)}); medlint does not write "
                                       "through links: remove the link, or name the file it points to", str(path))
    _refuse_linked_folders(path)
    if info is not None and new:
        raise FileExistsError(errno.EEXIST, "File exists", str(path))
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        return _write_in_place(path, data)
    if not path.parent.is_dir():  # CI configs name report folders that do not exist yet
        path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, data, stat.S_IMODE(info.st_mode) if info is not None else 0o644, new)


def _refuse_linked_folders(path: Path) -> None:
    absolute = Path(os.path.abspath(path))
    here = Path(os.getcwd())
    if not absolute.parent.is_relative_to(here):
        return
    folder = here
    for part in absolute.parent.relative_to(here).parts:
        folder /= part
        try:
            if not stat.S_ISLNK(os.lstat(folder).st_mode):
                continue
        except FileNotFoundError:
            return  # the rest is created here, as folders
        raise LinkRefused(errno.ELOOP, f"its folder {folder} is a symbolic link (to {os.readlink(folder)}); "
                                       "medlint does not write through links: name the folder it points to",
                          str(path))


def _replace(path: Path, data: bytes, mode: int, new: bool) -> None:
    import tempfile  # with shutil, random, bz2 and lzma: only a run that writes pays for them

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if new:  # a hard link fails where the name was taken meanwhile, where a rename would replace the file
            os.link(temporary, path)
        else:
            os.replace(temporary, path)
    except BaseException:  # an interrupt too: never leave the temporary file behind
        Path(temporary).unlink(missing_ok=True)
        raise
    if new:
        Path(temporary).unlink()


def _write_in_place(path: Path, data: bytes) -> None:
    # no O_CREAT or O_TRUNC: it exists and is no file; O_NOFOLLOW: a link swapped in meanwhile fails (ELOOP)
    descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC)
    try:
        _write_all(descriptor, data)
    finally:
        os.close(descriptor)


def _write_descriptor(descriptor: int, data: bytes) -> None:
    sys.stdout.flush()  # what was printed before comes first
    sys.stderr.flush()
    _write_all(descriptor, data)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
