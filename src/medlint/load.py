"""Bytes -> Record: values, the position and raw text of every node, parse problems as values.

A file's bytes are checked and decoded (decode.py), its text built into a value and node table from libyaml's
event stream (parse.py), and the result checked to be a record.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from .decode import Problem, decode
from .model import Position
from .parse import parse
from .record import Record, line_starts_of

DEFAULT_MAX_BYTES = 1_000_000


def expected_id(path: Path | str) -> str | None:
    """`records/<drug>/<indication>.yaml` -> `<drug>/<indication>`; None when not laid out that way. From the
    path's text (as pathlib writes it) alone: a Path for each of 50,000 files costs a warm run more than their
    stats."""
    folder, name = os.path.split(os.fspath(path))
    above, drug = os.path.split(folder)
    dot = name.rfind(".")
    if os.path.basename(above) != "records" or drug == "records" or dot < 1 or name[dot:] not in (".yaml", ".yml"):
        return None
    return f"{drug}/{name[:dot]}"


def expected_of(path: Path, table: bool = False) -> str | None:
    """The id the file at `path` must declare (from its absolute path: `records/` may be above the working
    folder), or None: a dose-limit table has no id."""
    return None if table else expected_id(os.path.abspath(path))


class Source(NamedTuple):
    """One file as loaded, the engine's input: the record when it could be read, the problems met reading
    it, and its decoded text (for suppressions, even when it is not a record)."""

    path: str  # as shown in findings
    record: Record | None
    problems: tuple[Problem, ...] = ()
    text: str = ""  # "" when it could not be decoded
    table: bool = False  # a dose-limit table (limits/<drug>.yaml), not a record


def _too_large(size: int, max_bytes: int) -> Problem:
    return Problem("too-large", f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit for a record; "
                            "it was not read", Position(1, 1, 1, 1),
                   "a record is a few kilobytes: check that the right file was added, or raise max-bytes "
                   "for file-too-large in the config")


def load_text(data: bytes, path: str, *, expected: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              table: bool = False) -> Source:
    if len(data) > max_bytes:
        return Source(path, None, (_too_large(len(data), max_bytes),), "", table)
    text, problems = decode(data)
    if text is None:
        return Source(path, None, tuple(problems), "", table)
    line_starts = line_starts_of(text)
    value, nodes, parse_problems, readable = parse(text, line_starts)
    problems.extend(parse_problems)
    if not readable:
        return Source(path, None, tuple(problems), text, table)
    if not isinstance(value, dict):
        kind = "empty" if value is None else ("a list" if isinstance(value, list) else "a single value")
        problems.append(Problem("not-a-record", f"the record is {kind}: a record is a mapping that starts with "
                                         "`schema_version: 1`", Position(1, 1, 1, 1),
                                "start from an existing record in records/"))
        return Source(path, None, tuple(problems), text, table)
    return Source(path, Record(path, text, value, nodes, expected, line_starts), tuple(problems), text, table)


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes | None, list[Problem]]:
    origin = Position(1, 1, 1, 1)
    try:
        if path.is_dir():
            return None, [Problem("unreadable", "this is a directory, not a record file", origin)]
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # reading a named pipe blocks, reading a device may never end
            return None, [Problem("unreadable", "this is not a regular file (a named pipe, socket or device); "
                                           "it was not read", origin)]
        if info.st_size > max_bytes:
            return None, [_too_large(info.st_size, max_bytes)]
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1), []
    except OSError as exc:
        return None, [Problem("unreadable", f"the file cannot be read: {exc.strerror or exc}", origin)]


def load_file(path: Path, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    data, problems = read_bytes(path, max_bytes)
    if data is None:
        return Source(display or os.fspath(path), None, tuple(problems))
    return load_text(data, display or os.fspath(path), expected=expected_of(path), max_bytes=max_bytes)
