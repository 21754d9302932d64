"""User-written patterns are bounded so that no rule file can make a check take more than linear time."""
from __future__ import annotations

import pytest

from medlint.styles.patterns import BUDGET, MAX_REPEAT, PatternError, bounded, compile_safe


@pytest.mark.parametrize(("pattern", "expected"), [
    ("medication", "medication"),
    (r"\w+ly", rf"\w{{1,{MAX_REPEAT}}}ly"),
    ("a.*b", f"a.{{0,{MAX_REPEAT}}}b"),
    ("a*?b", f"a{{0,{MAX_REPEAT}}}?b"),  # lazy stays lazy
    ("a++b", f"a{{1,{MAX_REPEAT}}}+b"),  # possessive stays possessive
    ("a{3,}", f"a{{3,{MAX_REPEAT}}}"),
    ("a{80,}", "a{80,80}"),
    ("a{2,5}", "a{2,5}"),
    (r"[+*]\+\*", r"[+*]\+\*"),  # in a class or escaped, + and * are characters
    (r"[]+]x+", rf"[]+]x{{1,{MAX_REPEAT}}}"),
    (r"[^]*]", r"[^]*]"),
    (r"\\+", rf"\\{{1,{MAX_REPEAT}}}"),
])
def test_unbounded_quantifiers_are_bounded(pattern: str, expected: str) -> None:
    assert bounded(pattern) == expected
    compile_safe(pattern)


@pytest.mark.parametrize(("pattern", "reason"), [
    ("(a+)+", "a quantifier inside a quantified group"),
    ("(?:ab*){2,5}", "a quantifier inside a quantified group"),
    (r"(a)\1", "backreferences"),
    (r"(?P<x>a)(?P=x)", "backreferences"),
    (r"(a)?(?(1)b|c)", "conditionals"),
    (r"\w+\s+\w+", "too many quantifiers in a row"),
    ("a(", "not a valid regular expression"),
])
def test_patterns_that_could_backtrack_without_bound_are_refused(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError, match=reason.split("(")[0]):
        compile_safe(pattern)


def test_an_optional_group_may_hold_a_quantifier() -> None:
    assert compile_safe("within the (.*)?directory").search("within the home directory")


def test_two_bounded_quantifiers_in_a_row_fit_the_budget() -> None:
    assert (MAX_REPEAT + 1) ** 2 <= BUDGET
    assert compile_safe(r"\w+ \w+").fullmatch("side effect")
    assert compile_safe(r"\w+ \w+").fullmatch("x" * (MAX_REPEAT + 1) + " y") is None  # the bound is real
