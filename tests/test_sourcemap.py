"""Value-to-source maps: every character of a scalar's value maps to the source characters that produce it.

The scalars are random source text in every style (plain, single- and double-quoted, literal and folded
blocks with chomping and indentation indicators) made of random words, blanks, line folds with empty and
white-space-only lines, every line break libyaml knows (LF, CR LF, CR, NEL, LS, PS), every escape form
(`\\n`, `\\t`, `\\x20`, `\\u`, `\\U`, `\\N`, `\\_`, `\\L`, `\\P`, `\\ `, escaped line breaks) and `''`. libyaml
says what the value is; the map must then exist and be exact: a verbatim piece is its own value
characters, any other piece is an escape, a doubled quote or a fold that produces exactly its characters,
and editing the source of any verbatim characters changes the value by exactly that edit.
"""
from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given, strategies as st

from medlint import load
from medlint.record import Record
from medlint.sourcemap import BREAKS, Piece, SourceMap, keeps_reading

_WORD_CHARS = "abcxyzABC0129.,;%()-/µ×éаοß—’😀\u00a0\u200b"
_BREAK = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"])
_ESCAPES = ["\\n", "\\t", "\\\t", "\\ ", "\\0", "\\a", "\\b", "\\v", "\\f", "\\r", "\\e", '\\"', "\\/", "\\\\",
            "\\N", "\\_", "\\L", "\\P"]


def _word(extra: str = "") -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(_WORD_CHARS + extra), min_size=1, max_size=6)


@st.composite
def _fold(draw: st.DrawFn, indent: int) -> str:
    """Optional trailing blanks, then line breaks, each followed by indentation (some lines only blanks)."""
    out = draw(st.sampled_from(["", " ", "  ", "\t"]))
    for _ in range(draw(st.integers(1, 3))):
        out += draw(_BREAK) + " " * draw(st.integers(indent, indent + 3)) + draw(st.sampled_from(["", "", "\t"]))
    return out


@st.composite
def _escape(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["named", "x", "u", "U"]))
    if kind == "named":
        return draw(st.sampled_from(_ESCAPES))
    if kind == "x":
        return "\\x" + draw(st.sampled_from(["20", "41", "e9", "0A", "7f", "A0"]))
    point = draw(st.integers(0x20, 0x10FFFF if kind == "U" else 0xFFFF).filter(lambda p: not 0xD800 <= p <= 0xDFFF))
    return f"\\{kind}{point:0{4 if kind == 'u' else 8}x}"


@st.composite
def flow_scalar(draw: st.DrawFn, quote: str, indent: int) -> str:
    """A plain (quote ""), single- or double-quoted scalar's source."""
    extra = {"": "", "'": "\"\\#:", '"': "'#:"}[quote]
    tokens = [draw(_word())]
    for _ in range(draw(st.integers(0, 8))):
        choices = ["word", "blanks", "fold"] + (["escape", "escape", "escaped break"] if quote == '"' else [])
        choices += ["quote"] if quote == "'" else []
        kind = draw(st.sampled_from(choices))
        if kind == "word":
            tokens.append(draw(_word(extra)))
        elif kind == "blanks":
            tokens.append(draw(st.sampled_from([" ", "  ", "\t", " \t "])) + draw(_word(extra)))
        elif kind == "fold":
            tokens.append(draw(_fold(indent)) + draw(_word(extra)))
        elif kind == "escape":
            tokens.append(draw(_escape()))
        elif kind == "escaped break":
            tokens.append("\\" + draw(_BREAK) + " " * draw(st.integers(indent, indent + 2)))
        else:
            tokens.append("''")
    body = "".join(tokens)
    if quote:
        body = draw(st.sampled_from(["", " ", "\t"])) + body + draw(st.sampled_from(["", " ", "  "]))
    return quote + body + quote


@st.composite
def block_scalar(draw: st.DrawFn, parent: int) -> str:
    """A literal or folded block scalar's source (header, content lines, empty and blank lines)."""
    chomp = draw(st.sampled_from(["", "-", "+"]))
    step = draw(st.sampled_from([None, None, 1, 2, 3]))
    indicator = chomp + str(step) if step and draw(st.booleans()) else (str(step or "") + chomp)
    header = draw(st.sampled_from("|>")) + indicator + draw(st.sampled_from(["", " ", "  # note"]))
    indent = parent + step if step else parent + draw(st.integers(1, 3))
    lines = []
    for index in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["text", "text", "text", "more", "empty", "blank"]))
        if kind == "empty":
            lines.append("")
        elif kind == "blank":
            lines.append(" " * draw(st.integers(0, indent)))
        else:
            more = " " * draw(st.integers(1, 2)) + draw(st.sampled_from(["", "\t"])) if kind == "more" else ""
            if index == 0 and not step:
                more = ""  # a detected indentation is the first line's
            words = [draw(_word("'\"#:\\")) for _ in range(draw(st.integers(1, 3)))]
            lines.append(" " * indent + more + draw(st.sampled_from([" ", "  "])).join(words))
    breaks = [draw(_BREAK.filter(lambda b: b in ("\n", "\r\n"))) for _ in lines]
    return header + "\n" + "".join(line + brk for line, brk in zip(lines, breaks, strict=True))


@st.composite
def document(draw: st.DrawFn) -> str:
    """A document with the scalar at ("k",), or at ("a", "k") or ("a", 0, "k") one or two levels in."""
    level = draw(st.sampled_from(["top", "map", "seq"]))
    parent = {"top": 0, "map": 2, "seq": 4}[level]
    style = draw(st.sampled_from(["plain", "single", "double", "double", "block"]))
    if style == "block":
        scalar = block_scalar(parent)
    else:
        scalar = flow_scalar({"plain": "", "single": "'", "double": '"'}[style], parent + 1)
    line = "k: " + draw(scalar)
    prefix = {"top": "", "map": "a:\n  ", "seq": "a:\n  - "}[level]
    return prefix + line + ("" if line.endswith("\n") else "\n") + "z: end\n"


def _loaded(text: str) -> tuple[Record, tuple[str | int, ...], Any]:
    record = load.load_text(text.encode("utf-8"), "x.yaml").record
    assume(record is not None)
    assert record is not None
    pointer: tuple[str | int, ...] = next(p for p in (("k",), ("a", "k"), ("a", 0, "k")) if p in record.nodes)
    return record, pointer, record.get(pointer)


def _produces(source: str, produced: str) -> bool:
    """What a piece that is not verbatim may be: an escape libyaml reads as `produced`, a doubled quote,
    or a fold (line breaks and blanks, or an escaped line break, giving spaces and line breaks)."""
    if source.startswith("\\") and source[1:2] not in BREAKS:
        return bool(yaml.safe_load(f'"{source}"') == produced)
    if source == "''":
        return produced == "'"
    body = source[1:] if source.startswith("\\") else source
    breaks = sum(1 for i, ch in enumerate(body) if ch in BREAKS and body[i - 1 : i + 1] != "\r\n")
    return (all(ch in " \t" + BREAKS for ch in body) and breaks >= 1
            and (produced == " " or (len(produced) <= breaks and all(ch in "\n\u2028\u2029" for ch in produced))))


def check_map(record: Record, pointer: tuple[str | int, ...], value: str) -> SourceMap:
    """The map exists, covers the value in order, and each piece produces exactly its characters."""
    source_map = record.source_map(pointer)
    assert source_map is not None, (record.text, value)
    info = record.nodes[pointer]
    covered, previous_end = 0, info.start
    for piece in source_map.pieces:
        produced = value[piece.value : piece.value + piece.length]
        source = record.text[piece.start : piece.end]
        assert piece.value == covered and piece.length > 0
        assert previous_end <= piece.start < piece.end <= info.end
        if piece.verbatim:
            assert source == produced
        else:
            assert _produces(source, produced), (source, produced)
        for index in range(piece.value, piece.value + piece.length):
            first, last = source_map.source_of(index)
            assert piece.start <= first < last <= piece.end
            assert (last - first == 1 and record.text[first] == value[index]) if piece.verbatim else True
        covered, previous_end = covered + piece.length, piece.end
    assert covered == len(value)
    return source_map


@given(document(), st.data())
@example("k: \"Dose table:\\n10.0mg 10.05 mg per kg.\"\nz: end\n", None)
def test_every_value_character_maps_to_what_produces_it(text: str, data: st.DataObject | None) -> None:
    record, pointer, value = _loaded(text)
    assume(isinstance(value, str))
    source_map = check_map(record, pointer, value)
    if data is None or not source_map.pieces:
        return
    # editing verbatim characters (a word's letters, as fixes do) changes the value by exactly that edit
    verbatim: list[Piece | None] = [p for p in source_map.pieces if p.verbatim]
    piece = data.draw(st.sampled_from(verbatim or [None]))
    assume(piece is not None)
    assert piece is not None
    start = data.draw(st.integers(piece.value, piece.value + piece.length - 1))
    end = data.draw(st.integers(start + 1, piece.value + piece.length))
    assume(not any(ch.isspace() or ch in "\u200b\ufeff" for ch in value[start:end]))
    replacement = data.draw(st.text(st.sampled_from("abqXYZ09×µ"), min_size=1, max_size=4))
    span = record.source_span(pointer, start, end)
    assert span is not None and record.text[span[0] : span[1]] == value[start:end]
    edited = load.load_text((record.text[: span[0]] + replacement + record.text[span[1] :]).encode(), "x.yaml")
    assert edited.record is not None
    new = edited.record.get(pointer)
    assume(isinstance(new, str))  # a plain scalar that now reads as a number or a boolean
    assert new == value[:start] + replacement + value[end:]


@given(document(), st.data())
def test_an_edit_judged_safe_reads_back_as_exactly_that_edit(text: str, data: st.DataObject) -> None:
    """keeps_reading, which lets a rule offer a fix, is sound: whatever blanks, quotes, `#`, commas or
    nothing at all a fix writes, an edit it accepts changes the value by exactly that edit."""
    record, pointer, value = _loaded(text)
    assume(isinstance(value, str))
    source_map = record.source_map(pointer)
    assert source_map is not None
    verbatim = [p for p in source_map.pieces if p.verbatim]
    assume(verbatim)
    piece = data.draw(st.sampled_from(verbatim))
    start = data.draw(st.integers(piece.value, piece.value + piece.length - 1))
    end = data.draw(st.integers(start, piece.value + piece.length))
    new = data.draw(st.text(st.sampled_from("ab1 \t#:,'\"\\×[]"), max_size=3))
    span = source_map.verbatim_span(start, end) if end > start else (source_map.source_of(start)[0],) * 2
    assume(span is not None)
    assert span is not None
    info = record.nodes[pointer]
    in_flow = False  # the documents above hold scalars in block collections
    if not keeps_reading(record.text, info.start, span[0], span[1], new, info.style, in_flow):
        return
    edited = load.load_text((record.text[: span[0]] + new + record.text[span[1] :]).encode(), "x.yaml")
    assert edited.record is not None, (record.text, span, new)
    got = edited.record.get(pointer)
    assume(isinstance(got, str))  # a plain scalar that now reads as a number or a boolean
    assert got == value[:start] + new + value[end:]


@given(st.text(st.sampled_from("ab 1\\\"'\t\n#:xuU0A9fLPN_ \u2028\x85é"), max_size=30), st.sampled_from(["k: ", "- "]))
def test_any_double_quoted_text_libyaml_reads_maps_exactly(body: str, lead: str) -> None:
    """Not only what the generator above writes: any backslashes, quotes and breaks that libyaml accepts."""
    text = ("k:\n  " + lead if lead == "- " else lead) + '"' + body + '"\nz: end\n'
    record = load.load_text(text.encode("utf-8"), "x.yaml").record
    assume(record is not None)
    assert record is not None
    pointer = ("k",) if ("k",) in record.nodes else ("k", 0)
    value = record.get(pointer)
    assume(isinstance(value, str) and record.nodes[pointer].style == '"')
    check_map(record, pointer, value)


@pytest.mark.parametrize(("text", "pointer", "start", "end", "source"), [
    ('k: "Dose table:\\n10.0mg 10.05 mg per kg."\n', ("k",), 12, 16, "10.0"),
    ('k: "a\\x20b\\tc 10.0 mg"\n', ("k",), 6, 10, "10.0"),
    ('k: "\\u00e9\\U0001F600 1.0 mg"\n', ("k",), 3, 6, "1.0"),
    ("k: 'it''s 1.0 mg'\n", ("k",), 5, 8, "1.0"),
    ("k: >-\n  first\n\n  second 1.0 mg\n", ("k",), 13, 16, "1.0"),
    ("a:\n  k: |2+\n      x\n    1.0 mg\n\n", ("a", "k"), 4, 7, "1.0"),
    ('k: "line one \\\n    1.0 mg"\n', ("k",), 9, 12, "1.0"),
])
def test_a_fixable_span_is_the_value_characters_themselves(text: str, pointer: tuple[str, ...], start: int,
                                                           end: int, source: str) -> None:
    record = load.load_text(text.encode(), "x.yaml").record
    assert record is not None and record.get(pointer)[start:end] == source
    span = record.source_span(pointer, start, end)
    assert span is not None and record.text[span[0] : span[1]] == source


@pytest.mark.parametrize(("text", "start", "end"), [
    ('k: "a\\nb"\n', 1, 2),  # an escape
    ("k: 'a''b'\n", 1, 2),  # a doubled quote
    ("k: >\n  a\n  b\n", 1, 2),  # a folded line break
    ("k: plain\n  text\n", 5, 6),  # a folded plain line
    ('k: "a\\x20b"\n', 0, 3),  # verbatim around an escape: no single run of source characters
])
def test_what_does_not_stand_for_itself_cannot_be_edited(text: str, start: int, end: int) -> None:
    record = load.load_text(text.encode(), "x.yaml").record
    assert record is not None
    assert record.source_span(("k",), start, end) is None
    assert record.locate(("k",), start, end).line >= 1


def test_a_value_the_scan_does_not_reproduce_has_no_map() -> None:
    """A value that is not what its source says (a node table entry pointing elsewhere) gets no map, so
    findings fall back to the whole scalar and no fix is offered."""
    from medlint.sourcemap import source_map

    assert source_map('k: "abc"\n', 3, 8, '"', "abd") is None
    assert source_map("k: >\n  a\n  b\n", 3, 13, ">", "a\nb\n") is None
