"""Positions in the client's units, and edits as the few characters that change."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, strategies as st
from lsprotocol import types

from medlint.lsp.text import LineIndex, Replacement, replacements, span, text_edits
from medlint.model import Position
from medlint.record import line_starts_of

UTF8, UTF16, UTF32 = (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16,
                      types.PositionEncodingKind.Utf32)


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


@pytest.mark.parametrize(("encoding", "column"), [(UTF16, 6), (UTF8, 9), (UTF32, 5)])
def test_columns_count_the_clients_code_units(encoding: str, column: int) -> None:
    text = "a: x\nb: 😋é IU\n"  # the emoji is 2 UTF-16 units and 4 UTF-8 bytes, é 1 and 2
    index = LineIndex(text, encoding)
    offset = text.index("é") + 1
    assert index.position(offset) == pos(1, column)
    assert index.offset(pos(1, column)) == offset


def test_lines_break_where_the_protocol_breaks_them() -> None:
    text = "a\r\nb\rc\nd\u2028e"  # U+2028 is not a line break to the protocol (nor to medlint)
    index = LineIndex(text)
    assert [index.position(text.index(char)) for char in "abcde"] == [pos(0, 0), pos(1, 0), pos(2, 0), pos(3, 0),
                                                                     pos(3, 2)]
    assert index.position(text.index("\n")) == pos(0, 1)  # between \r and \n: the end of the line
    assert index.offset(pos(0, 99)) == 1 and index.offset(pos(99, 0)) == len(text)


def test_a_findings_range_goes_through_offsets() -> None:
    """medlint counts lines at \\n only and columns in characters; the buffer may hold a BOM it dropped."""
    text = "a: 1\rb: 😋 IU\n"
    starts = line_starts_of(text)
    found = span(LineIndex("\ufeff" + text), starts, 1, Position(1, 11, 1, 13))  # `IU`, on medlint's line 1
    assert found == types.Range(start=pos(1, 6), end=pos(1, 8))


@given(st.text(alphabet="ab\r\n😋é\u2028", max_size=30), st.data())
def test_offsets_and_positions_round_trip(text: str, data: st.DataObject) -> None:
    for encoding in (UTF8, UTF16, UTF32):
        index = LineIndex(text, encoding)
        offset = data.draw(st.integers(0, len(text)))
        if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
            continue  # inside a line break: no position names it
        assert index.offset(index.position(offset)) == offset


@given(st.text(alphabet="ab \n\r-:😋", max_size=40), st.text(alphabet="ab \n\r-:😋", max_size=40))
def test_replacements_turn_one_text_into_the_other(before: str, after: str) -> None:
    """As a client applies them: by positions, where no position falls between `\r` and `\n`."""
    index = LineIndex(before)
    edits = [(index.offset(edit.range.start), index.offset(edit.range.end), edit.new_text)
             for edit in text_edits(index, after)]
    assert [(start, end) for start, end, _ in edits] == [(e.start, e.end) for e in replacements(before, after)]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(edits))
    result, position = "", 0
    for start, end, text in edits:
        result += before[position:start] + text
        position = end
    assert result + before[position:] == after


def test_no_replacement_splits_a_crlf() -> None:
    assert replacements("  \r\n", "key: 1\n") == [Replacement(0, 4, "key: 1\n")]
    assert replacements("a\r\nb", "a\rXb") == [Replacement(1, 3, "\rX")]


def test_replacements_are_the_characters_that_change() -> None:
    before = "a: 1\nunit: µg\nb: 2\nroute: IV\n"
    after = "a: 1\nunit: mcg\nb: 2\nroute: intravenous\n"
    assert [(before[e.start : e.end], e.text) for e in replacements(before, after)] == [
        ("µ", "mc"), ("IV", "intravenous")]
