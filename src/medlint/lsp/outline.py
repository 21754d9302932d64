"""Where the cursor stands in a record: the chain of keys above it, read from indentation.

A record being typed is seldom valid YAML (`rou` on its own line, a `dose:` with nothing under it yet),
so completion cannot wait for a parse. Records are written in block style, where a line's indentation
and its `- ` and `key:` say where it belongs; that is all this reads. Flow style (`{value: 1}`) and
quoted keys are not followed: there the cursor has no place, and nothing is offered.
"""
from __future__ import annotations

import re
from typing import NamedTuple

ITEM = 0  # a path step into a list item, as in the pointers of model.Pointer

_STRUCTURE = re.compile(r"( *)((?:-[ ]+)*)")
_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)")
_PARTIAL_KEY = re.compile(r"[A-Za-z_][\w-]*|")
_VALUE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:([ \t]*)([^#'\"{}\[\],]*)")  # no quotes, comments or flow style
# what may follow a key that opens a nested mapping or list: nothing, a comment, an anchor or a tag
_OPENS = re.compile(r"[ \t]*(?:[&!][^ \t]*[ \t]*)?(?:#.*)?")

Path = tuple[str | int, ...]


class Line(NamedTuple):
    """One line's structure: the columns of its `- ` markers, and its key and that key's column."""

    indent: int
    dashes: tuple[int, ...]
    key: str
    key_column: int
    rest: str  # what follows `key:` (or the line's content when it has no key)


def _structure(line: str) -> tuple[int, tuple[int, ...], int]:
    """A line's indentation, the columns of its `- ` markers, and the column after them."""
    match = _STRUCTURE.match(line)
    assert match is not None  # both groups can be empty
    indent = len(match.group(1))
    return indent, tuple(indent + dash.start() for dash in re.finditer(r"-[ ]+", match.group(2))), match.end()


def parse_line(line: str) -> Line | None:
    """None for a blank or comment-only line, which belongs to no level."""
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    indent, dashes, column = _structure(line)
    key = _KEY.match(line, column)
    if key is None:
        return Line(indent, dashes, "", column, line[column:])
    return Line(indent, dashes, key.group(1), column, line[key.end() :])


def _lines(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.split("\n")]


class Scope(NamedTuple):
    path: Path  # the mapping the column belongs to
    siblings: frozenset[str]  # the keys it already has


def scope(lines: list[str], row: int, column: int, dashes: tuple[int, ...] = ()) -> Scope | None:
    """The mapping that a key written at `column` of line `row` (after that line's `- ` markers at
    `dashes`) belongs to, and the keys it already holds; None when that column is inside a text (a
    folded paragraph, a multi-line value, a list of texts)."""
    if dashes:  # the line opens a list item: its mapping starts here, below the list's own place
        parent = scope(lines, row, dashes[0])
        if parent is None:
            return None
        return Scope((*parent.path, *(ITEM for _ in dashes)), _siblings_below(lines, row, column))
    path: list[str | int] = []
    siblings: set[str] = set()
    limit = column
    listed = False  # the level just found is a list item, whose key may stand at the list's own column
    for index in range(row - 1, -1, -1):
        line = parse_line(lines[index])
        if line is None:
            continue
        if listed and line.indent == limit and not line.dashes:
            if not line.key or not _OPENS.fullmatch(line.rest):
                return None
            path.insert(0, line.key)  # `key:` over `- item` at the same indentation
            listed = False
        elif line.indent >= limit:  # deeper, or a sibling at the same level
            if line.indent == limit and not path and line.key and not line.dashes:
                siblings.add(line.key)
            continue
        elif line.key and line.key_column < limit:
            if not _OPENS.fullmatch(line.rest):
                return None  # `key: text` above the column: the column continues that text
            path.insert(0, line.key)
            limit, listed = line.key_column, False
        elif line.key and line.key_column == limit and not path:
            siblings.add(line.key)
        elif not line.key and line.rest.strip() and line.key_column <= limit:
            return None  # a list item's text, or a paragraph: the column continues it
        for dash in reversed(line.dashes):
            if dash < limit:
                path.insert(0, ITEM)
                limit, listed = dash, True
        if limit == 0 and not listed:
            break
    if limit > 0:
        return None  # indented under nothing
    return Scope(tuple(path), frozenset(siblings | _siblings_below(lines, row, column)))


def _siblings_below(lines: list[str], row: int, column: int) -> frozenset[str]:
    """The keys at `column` after line `row`, up to the end of their mapping."""
    out = set()
    for index in range(row + 1, len(lines)):
        line = parse_line(lines[index])
        if line is None:
            continue
        if line.indent < column or any(dash < column for dash in line.dashes):
            break
        if line.key and line.key_column == column and not line.dashes:
            out.add(line.key)
    return frozenset(out)


class Place(NamedTuple):
    """What is being typed at the cursor: a key of the mapping at `path`, or the value of `key` there."""

    path: Path
    key: str  # "" when a key is being typed
    typed: str  # the part of the word before the cursor
    start: int  # its offset in the text
    siblings: frozenset[str]
    spaced: bool = True  # a value: whether a space already follows the colon


def _row_column(text: str, offset: int) -> tuple[list[str], int, int]:
    offset = min(max(offset, 0), len(text))
    row = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return _lines(text), row, offset - line_start


def place(text: str, offset: int) -> Place | None:
    lines, row, column = _row_column(text, offset)
    before = lines[row][:column] if row < len(lines) else ""
    _, dashes, key_column = _structure(before)
    typed = before[key_column:]
    where = scope(lines, row, key_column, dashes)
    if where is None:
        return None
    if _PARTIAL_KEY.fullmatch(typed):
        return Place(where.path, "", typed, offset - len(typed), where.siblings - {typed})
    value = _VALUE.fullmatch(typed)
    if value is None:
        return None
    return Place(where.path, value.group(1), value.group(3), offset - len(value.group(3)), where.siblings,
                 bool(value.group(2)))


def field(text: str, offset: int) -> tuple[Path, int, int] | None:
    """The field whose line holds `offset` (on its key or its value): its full path, and the offsets of
    its key, for a hover's range."""
    lines, row, column = _row_column(text, offset)
    line = parse_line(lines[row]) if row < len(lines) else None
    if line is None or not line.key:
        return None
    where = scope(lines, row, line.key_column, line.dashes)
    if where is None:
        return None
    key_start = offset - column + line.key_column
    return (*where.path, line.key), key_start, key_start + len(line.key)
