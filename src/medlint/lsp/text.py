"""Positions as the client counts them, and the edits that turn one text into another.

The protocol counts lines broken by `\\n`, `\\r\\n` or `\\r`, and columns in the code units of the encoding
agreed at start-up (UTF-16 unless the client offers another). medlint counts lines broken by `\\n` and
columns in characters. Everything is converted through character offsets into the text, so that a lone
`\\r`, a U+2028 or an emoji before a finding cannot move its squiggle.
"""
from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from typing import NamedTuple

from lsprotocol import types

from ..model import Position

_BREAK = re.compile(r"\r\n|\r|\n")
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)  # UTF-16: astral characters take two


class LineIndex:
    """Offsets into `text` <-> protocol positions."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0, *(match.end() for match in _BREAK.finditer(text))]

    def _line_end(self, line: int) -> int:
        """The offset where line `line` ends, before its line break."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        return end - (2 if self.text[end - 2 : end] == "\r\n" else 1)

    def position(self, offset: int) -> types.Position:
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        if offset > self._line_end(line):  # inside a `\r\n`: the end of the line
            offset = self._line_end(line)
        return types.Position(line=line, character=_units(self.text[self.starts[line] : offset], self.encoding))

    def offset(self, position: types.Position) -> int:
        """The offset of a position; past a line's end is its end, past the last line the end of the text
        (as the protocol asks), so that no request can point outside the text."""
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[position.line], self._line_end(position.line)
        if self.encoding == types.PositionEncodingKind.Utf32:
            return min(start + position.character, end)
        counted = 0
        for offset in range(start, end):
            if counted >= position.character:
                return offset
            counted += _units(self.text[offset], self.encoding)
        return end

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))


def offset_of(line_starts: Sequence[int], length: int, line: int, column: int) -> int:
    """The character offset of a medlint (1-based, `\\n`-counted) line and column, kept inside the text."""
    if line < 1:
        return 0
    if line > len(line_starts):
        return length
    return min(line_starts[line - 1] + max(column, 1) - 1, length)


class Replacement(NamedTuple):
    """Characters [start, end) of a text replaced by `text`."""

    start: int
    end: int
    text: str


def _trimmed(start: int, old: str, new: str) -> Replacement:
    """The replacement of `old` (at `start`) by `new`, without the characters they share at either end."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    # a position between `\r` and `\n` does not exist in the protocol (clients put it at the line's end)
    if 0 < head < len(old) and old[head - 1 : head + 1] == "\r\n":
        head -= 1
    if 0 < tail < len(old) and old[len(old) - tail - 1 : len(old) - tail + 1] == "\r\n":
        tail -= 1
    return Replacement(start + head, start + len(old) - tail, new[head : len(new) - tail])


def replacements(before: str, after: str) -> list[Replacement]:
    """Small, ordered, non-overlapping replacements that turn `before` into `after`: a client applies them
    without moving the cursor or folds elsewhere in the file, as a whole-text replacement would."""
    old, new = _LINES.findall(before), _LINES.findall(after)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    out = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.append(_trimmed(starts[i1], "".join(old[i1:i2]), "".join(new[j1:j2])))
    return out


def text_edits(index: LineIndex, after: str) -> list[types.TextEdit]:
    return [types.TextEdit(range=index.range(item.start, item.end), new_text=item.text)
            for item in replacements(index.text, after)]


def span(index: LineIndex, line_starts: Sequence[int], shift: int, position: Position) -> types.Range:
    """A finding's range in the buffer: `line_starts` are medlint's lines of the text it read, which begins
    `shift` characters into the buffer (1 when the buffer holds a byte-order mark that decoding dropped)."""
    length = len(index.text) - shift
    start = offset_of(line_starts, length, position.line, position.column)
    end = max(start, offset_of(line_starts, length, position.end_line, position.end_column))
    return index.range(start + shift, end + shift)
