"""Inline suppressions: parsing, applying, and reporting unused or unjustified ones."""
from __future__ import annotations

from support import lint_text, merge

from medlint import suppress


def test_parse_same_line_and_next_line() -> None:
    text = ("a: 1  # medlint: disable=ML104,ML105 -- reviewed\n"
            "# medlint: disable-next-line=invalid-value -- ok\n\nb: 2\n")
    found = suppress.parse(text)
    assert [(s.line, s.codes, s.reason) for s in found] == [
        (1, ("ML104", "ML105"), "reviewed"), (4, ("invalid-value",), "ok")]


def test_suppression_with_reason_silences_the_finding() -> None:
    text, _ = merge("language: English  # medlint: disable=ML104 -- house code for a pilot page\n")
    findings = lint_text(text)
    assert [f.code for f in findings if f.suppressed is None] == []
    assert [f.suppressed for f in findings if f.code == "ML104"] == ["house code for a pilot page"]


def test_suppression_by_name_on_the_previous_line() -> None:
    text, _ = merge("# medlint: disable-next-line=invalid-value -- pilot\nlanguage: English\n")
    assert [f.code for f in lint_text(text) if f.suppressed is None] == []


def test_reason_is_mandatory() -> None:
    text, offset = merge("language: English  # medlint: disable=ML104\n")
    active = [(f.code, f.line - offset + 1) for f in lint_text(text) if f.suppressed is None]
    assert sorted(active) == [("ML104", 1), ("ML902", 1)]


def test_unknown_rule_in_suppression() -> None:
    text, _ = merge("language: en  # medlint: disable=ML999 -- typo\n")
    assert [f.code for f in lint_text(text)] == ["ML902"]


def test_unused_suppression_is_reported() -> None:
    text, offset = merge("language: en  # medlint: disable=ML104 -- no longer needed\n")
    findings = lint_text(text)
    assert [(f.code, f.line - offset + 1) for f in findings] == [("ML901", 1)]


def test_a_hash_in_a_value_is_not_a_comment() -> None:
    assert suppress.parse("a: 'x#medlint: disable=ML104 -- no'\n") == []
