"""The loader: YAML 1.2 scalars, positions, raw text, and every parse problem as a value."""
from __future__ import annotations

import math

import pytest
from support import BASE

from medlint import load
from medlint.model import Position


def _load(text: str | bytes) -> load.Source:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load.load_text(data, "x.yaml")


def _codes(text: str | bytes) -> list[str]:
    return [p.kind for p in _load(text).problems]


@pytest.mark.parametrize(("raw", "value"), [
    ("1.1e14", 1.1e14), ("1e3", 1000.0), ("0.5", 0.5), (".5", 0.5), ("100000", 100000), ("0o17", 15),
    ("0x1F", 31), ("-2", -2), ("yes", "yes"), ("no", "no"), ("on", "on"), ("true", True), ("~", None),
    ("null", None), ("2026-03-02", "2026-03-02"), ("1_000", "1_000"), ("'1.5'", "1.5"), ("010", 10),
])
def test_scalars_follow_yaml_1_2_core_schema(raw: str, value: object) -> None:
    record = _load(f"a: {raw}\n").record
    assert record is not None and record.data["a"] == value and type(record.data["a"]) is type(value)


def test_raw_text_is_kept() -> None:
    record = _load("a: 1.0\nb: .5\nc: 100000\nd: '1.0'\n").record
    assert record is not None
    assert [record.raw((k,)) for k in "abcd"] == ["1.0", ".5", "100000", "'1.0'"]


def test_positions_inside_lists_and_maps() -> None:
    record = _load(BASE).record
    assert record is not None
    line = BASE.splitlines().index("      unit: vector genomes/kg") + 1
    assert record.locate(("dosing", 0, "dose", "unit")) == Position(line, 13, line, 30)
    assert record.locate(("dosing", 0, "dose", "unit"), on_key=True).column == 7


def test_locate_inside_a_folded_scalar() -> None:
    text = "summary: >-\n  first line of text\n  second line here\n"
    record = _load(text).record
    assert record is not None
    value = record.data["summary"]
    start = value.index("second")
    assert record.locate(("summary",), start, start + 6) == Position(3, 3, 3, 9)


def test_locate_inside_a_literal_block_and_quotes() -> None:
    record = _load('a: |\n  one\n  two words\nb: "say hi"\n').record
    assert record is not None
    assert record.locate(("a",), 4, 7) == Position(3, 3, 3, 6)
    assert record.locate(("b",), 4, 6) == Position(4, 9, 4, 11)


def test_duplicate_key_is_a_problem_at_the_second_key() -> None:
    result = _load("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert [(p.kind, p.position.line) for p in result.problems] == [("duplicate-key", 4)]
    assert "first on line 3" in result.problems[0].message
    assert result.record is not None and result.record.data["b"] == {"c": 2}


def test_syntax_error_has_a_position_and_no_record() -> None:
    result = _load("a: [1, 2\nb: 3\n")
    assert result.record is None
    assert result.problems[0].kind == "syntax" and result.problems[0].position.line >= 2


@pytest.mark.parametrize(("data", "code"), [
    (b"a: caf\xe9\n", "unreadable"), (b"\xff\xfea\x00:\x00", "unreadable"), (b"a: 1\x00\n", "unreadable"),
    (b"", "not-a-record"), (b"- a\n- b\n", "not-a-record"), (b"just text\n", "not-a-record"),
])
def test_unreadable_content_is_a_problem(data: bytes, code: str) -> None:
    result = _load(data)
    assert result.record is None and [p.kind for p in result.problems] == [code]


def test_non_utf8_points_at_the_bad_byte() -> None:
    problem = _load(b"a: 1\nb: caf\xe9\n").problems[0]
    assert problem.position[:2] == (2, 7) and "e9" in problem.message


def test_bom_is_reported_and_the_record_still_loads() -> None:
    result = _load(b"\xef\xbb\xbfa: 1\n")
    assert [p.kind for p in result.problems] == ["byte-order-mark"] and result.record is not None


def test_tags_are_never_executed() -> None:
    result = _load("a: !!python/object/apply:os.system ['echo pwned']\nb: !!python/name:os.system x\n")
    assert result.record is not None and result.record.data["b"] == "x"
    assert set(_codes("a: !!python/object/apply:os.system ['echo pwned']\n")) == {"unsafe"}


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 9):
        previous, name = chr(96 + index), chr(97 + index)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    result = _load("\n".join(lines) + "\n")
    assert result.record is None and [p.kind for p in result.problems] == ["unsafe"]


def test_aliases_and_merge_keys_within_budget() -> None:
    record = _load("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: *b\n").record
    assert record is not None
    assert record.data["c"] == {"x": 1, "y": 3} and record.data["d"] == {"x": 1, "y": 2}


def test_deep_nesting_is_refused_without_crashing() -> None:
    depth = 100_000
    result = _load("a: " + "[" * depth + "]" * depth + "\n")
    assert result.record is None and "nests deeper" in result.problems[0].message


@pytest.mark.parametrize("raw", [".inf", "-.Inf", ".nan", "1e400"])
def test_non_finite_numbers_are_problems(raw: str) -> None:
    result = _load(f"a: {raw}\n")
    assert "unsafe" in [p.kind for p in result.problems]
    assert result.record is not None and not math.isfinite(result.record.data["a"])


def test_huge_integers_stay_exact() -> None:
    record = _load("a: " + "9" * 400 + "\n").record
    assert record is not None and record.data["a"] == int("9" * 400)


def test_second_document_is_reported() -> None:
    result = _load("a: 1\n---\nb: 2\n")
    assert [p.kind for p in result.problems] == ["syntax"] and result.record is not None


def test_too_large_is_not_read() -> None:
    result = load.load_text(b"a: 1\n" * 1000, "x.yaml", max_bytes=100)
    assert result.record is None and result.problems[0].kind == "too-large"


@pytest.mark.parametrize(("path", "expected"), [
    ("records/zolgensma/sma.yaml", "zolgensma/sma"), ("/a/records/x/y.yml", "x/y"),
    ("records/x.yaml", None), ("records/a/b/c.yaml", None), ("other/x/y.yaml", None),
])
def test_expected_id(path: str, expected: str | None) -> None:
    from pathlib import Path

    assert load.expected_id(Path(path)) == expected


# --- regressions found by tests/robustness/ ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "c:\n  <<: {x: 1, y: 2}\n  y: 3\n",  # a mapping written in place was merged while still empty
    "a: &a {x: 1}\nb: &b {y: 2, x: 5}\nc:\n  <<: [*a, *b]\n  y: 3\n",  # so was a list of aliases
    "c:\n  y: 3\n  <<:\n    x: 1\n    y: 4\n",
])
def test_merge_keys_written_in_place(text: str) -> None:
    record = _load(text).record
    assert record is not None and record.data["c"] == {"x": 1, "y": 3}


def test_a_merged_value_is_located_where_it_is_written() -> None:
    record = _load("c:\n  <<: {x: 1}\n").record
    assert record is not None and record.locate(("c", "x")) == Position(2, 11, 2, 12)


@pytest.mark.parametrize(("raw", "words"), [
    ("9" * 400, "too large for a number"), ("-" + "9" * 5000, "too large for a number"),
    ("0x" + "f" * 5000, "too large for a number"), ("1e400", "`1e400` is too large"),
])
def test_numbers_past_float_range_are_problems(raw: str, words: str) -> None:
    """Python cannot even parse (or print) an integer of more than 4,300 digits; past float range, no
    program that reads records (JSON, JavaScript) can hold the number."""
    result = _load(f"a: {raw}\n")
    assert [p.kind for p in result.problems] == ["unsafe"] and words in result.problems[0].message
    assert len(result.problems[0].message) < 100 and result.record is not None


def test_lines_break_at_newline_only_as_in_editors() -> None:
    # libyaml's own line count also breaks at NEL and U+2028 (YAML 1.1); editors and medlint do not
    record = _load("a: \"one\u0085two\u2028three\"\nb: x\n").record
    assert record is not None and record.locate(("b",))[:2] == (2, 4)


def test_merge_key_with_plain_text_is_an_ordinary_key() -> None:
    record = _load("<<: x\na: 1\n").record
    assert record is not None and record.data == {"<<": "x", "a": 1}


def test_merge_of_an_inline_mapping_and_of_a_list_of_aliases() -> None:
    record = _load("x: &x {a: 1}\ny: &y {b: 2}\nc:\n  <<: {a: 0, d: 4}\n  a: 5\nd:\n  <<: [*x, *y]\n").record
    assert record is not None
    assert record.data["c"] == {"a": 5, "d": 4} and record.data["d"] == {"a": 1, "b": 2}


def test_merged_in_place_mapping_leaves_no_nodes_under_the_merge_key() -> None:
    record = _load("c:\n  <<: {k: 1, j: 2}\n  a: 5\n").record
    assert record is not None and not [p for p in record.nodes if "<<" in p]
    assert record.locate(("c", "k"))[:2] == (2, 11)  # the merged value, where it is written


def test_a_mapping_is_located_on_its_first_line_only() -> None:
    record = _load("a:\n  b: 1\n  c: 2\n").record
    assert record is not None
    assert record.locate(()) == Position(1, 1, 1, 3) and record.locate(("a",)) == Position(2, 3, 2, 7)
