"""The fast way a rule finds its matches finds exactly what its exact pattern finds."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, strategies as st

from medlint.styles import fields, house, matchers
from medlint.styles.reading import Located

TOKENS = ["side", "side effect", "a b", "b c", "Ab", "é", "5 mg", "\u00b5g", "\u017fide"]
TEXT = st.text(alphabet=list("abcdeiks fABCÉé5mg-\n\u0130\u017f\u00b5\u03bc\u212a"), max_size=60)
LOCATED = Located(Path("rule.yaml"), None, {}, {})


@given(TEXT, st.booleans(), st.booleans(), st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4, unique=True))
def test_the_locator_finds_the_exact_matches(text: str, ignore_case: bool, nonword: bool, tokens: list[str]) -> None:
    finder = house.union(LOCATED, "tokens", tokens, house.Options(ignore_case, nonword, False))
    assert [m.span() for m in finder.finditer(text)] == [m.span() for m in finder.exact.finditer(text)]


def test_long_s_and_micro_sign_are_found_as_the_engine_finds_them() -> None:
    finder = house.union(LOCATED, "tokens", ["side", "\u00b5g"], house.Options(True, False, False))
    assert [m.group(0) for m in finder.finditer("\u017fide \u03bcg")] == ["\u017fide", "\u03bcg"]


@given(TEXT, st.booleans())
def test_the_locator_finds_the_exact_matches_of_patterns(text: str, ignore_case: bool) -> None:
    finder = house.union(LOCATED, "tokens", [r"\w+ \w", "a.?b", "(?:side )?c"], house.Options(ignore_case, False, True))
    assert [m.span() for m in finder.finditer(text)] == [m.span() for m in finder.exact.finditer(text)]


@given(st.lists(TEXT, max_size=5), st.booleans(), st.booleans(),
       st.lists(st.sampled_from([*TOKENS, " side", "c "]), min_size=1, max_size=4, unique=True))
@example(["a b c", "b c"], True, False, ["a b", "b c"])  # matches do not overlap
@example(["the side ", "effect side"], False, True, ["side effect", "side"])  # a newline is not a space of a phrase
def test_the_texts_of_a_scope_searched_joined_give_each_texts_matches(texts: list[str], ignore_case: bool,
                                                                      nonword: bool, tokens: list[str]) -> None:
    finder = house.union(LOCATED, "tokens", tokens, house.Options(ignore_case, nonword, False))
    pairs = [((index,), text) for index, text in enumerate(texts)]
    one_by_one = [(index, m.span()) for index, text in enumerate(texts) for m in finder.exact.finditer(text)]
    assert [(index, m.span()) for index, m in finder.scan(pairs, matchers._join(pairs))] == one_by_one


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(" ,.'_-\u00a0\u2028\u017f\u0130\udc80")),
               max_size=40))
def test_a_records_words_are_the_words_the_pattern_finds(text: str) -> None:
    assert fields._words(text) == frozenset(re.findall(r"\w+", text))
