"""Bytes -> text, and the loader's problems: what the loader can meet, reported as values, and the checks on a
file's bytes before any YAML is read (encoding, byte-order marks, NUL bytes)."""
from __future__ import annotations

from typing import NamedTuple

from .model import Fix, Pointer, Position

# what the loader can meet: a file that is not YAML, a key twice in a mapping, a file it cannot or may not
# read, a byte-order mark, YAML it refuses to build (tags, alias bombs, nesting, numbers past float range), a
# document that is not a mapping, a file over the size limit
KINDS = ("syntax", "duplicate-key", "unreadable", "byte-order-mark", "unsafe", "not-a-record", "too-large")


class Problem(NamedTuple):
    """A loader-level defect, of one of KINDS: the loading rule that reports its kind makes it a finding."""

    kind: str
    message: str
    position: Position
    hint: str | None = None
    pointer: Pointer = ()
    fix: Fix | None = None


# Edits are offsets into the decoded text, where the BOM no longer is: this fix has none, and the fix
# writer drops the BOM by writing the file back as UTF-8 without one.
REMOVE_BOM = Fix("remove the byte-order mark", ())


# --- decoding ---------------------------------------------------------------------------------

_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _byte_position(data: bytes, index: int) -> Position:
    line = data.count(b"\n", 0, index) + 1
    col = index - (data.rfind(b"\n", 0, index) + 1) + 1
    return Position(line, col, line, col + 1)


def decode(data: bytes) -> tuple[str | None, list[Problem]]:
    """Strict UTF-8 with a clear problem for everything else; a UTF-8 BOM is reported and dropped."""
    problems: list[Problem] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            return None, [Problem("unreadable", f"the file is encoded as {name}; records must be UTF-8",
                                  Position(1, 1, 1, 1), "re-save the file as UTF-8 without a byte-order mark")]
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem("byte-order-mark", "the file starts with a UTF-8 byte-order mark",
                                Position(1, 1, 1, 2), "remove the byte-order mark", fix=REMOVE_BOM))
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        problems.append(Problem("unreadable", "the file contains a NUL byte: it looks binary, not a YAML record",
                                _byte_position(data, nul), "check that the right file was added"))
        return None, problems
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        snippet = data[exc.start : exc.start + 4].hex(" ")
        problems.append(Problem(
            "unreadable", f"the file is not valid UTF-8 (bytes {snippet} at byte {exc.start})",
            _byte_position(data, exc.start),
            "re-save the file as UTF-8; it was probably written in Windows-1252 or Latin-1"))
        return None, problems

