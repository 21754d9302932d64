"""Typed JSON for the cache: every value comes back as it went in, and anything else is a CodecError."""
from __future__ import annotations

import datetime as dt
import json
from functools import cache as once
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings, strategies as st
from support import BASE, TODAY, run_config, source

from medlint import cache, codec, engine
from medlint.model import Severity
from medlint.rules.corpus import ID_POSITION, NAMES
from medlint.rules.readability import READING
from medlint.summary import SUMMARY

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=20)


@once
def _real_result() -> engine.FileResult:
    text = BASE.replace("route: intravenous", "route: IV").replace("language: en", "language: en  # medlint: "
                                                                   "disable=ML301 -- why")
    return engine.lint_source(source(text), run_config(), engine.Run(TODAY), (SUMMARY,))


def _without_values(result: engine.FileResult) -> engine.FileResult:
    """Facts values are typed by their extractors, not by FileResult: the next test checks them."""
    return result._replace(facts=result.facts._replace(values=())) if result.facts else result


@settings(max_examples=50)
@given(st.from_type(engine.FileResult).map(_without_values))
def test_any_file_result_comes_back_equal(result: engine.FileResult) -> None:
    assert codec.loads(codec.dumps(result), engine.FileResult) == result


def test_a_real_result_and_a_run_come_back_equal() -> None:
    result = _real_result()
    assert result.findings and result.facts and result.suppressions
    decoded = codec.loads(codec.dumps(result), engine.FileResult)
    assert _without_values(decoded) == _without_values(result)
    assert result.facts is not None and decoded.facts is not None
    names = [name for name, _ in result.facts.values]
    assert names == [name for name, _ in decoded.facts.values] == ["id-position", "drug-names", "reading", "summary"]
    for extractor in (ID_POSITION, NAMES, READING, SUMMARY):
        assert extractor.of(decoded.facts) == extractor.of(result.facts)
    assert codec.loads(codec.dumps(decoded), engine.FileResult) == decoded  # stored again as it was read
    run = cache.RunResult(("a",), "s", result.findings, 1, 1)
    assert codec.loads(codec.dumps(run), cache.RunResult) == run


@given(JSON)
def test_any_json_is_a_file_result_or_a_codec_error(value: Any) -> None:
    try:
        decoded = codec.decode(engine.FileResult, value)
    except codec.CodecError:
        return
    assert isinstance(decoded, engine.FileResult)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [path, *(p for key, child in children for p in _paths(child, (*path, key)))]


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=300)
@given(st.data())
def test_a_damaged_entry_is_an_error_or_a_result_of_the_right_types(data: st.DataObject) -> None:
    """Any one value of a real entry replaced by any JSON: decoding refuses it, or every part has its declared
    type, so the engine can use it without crashing (whether it is *true* is the seal's business)."""
    document = json.loads(codec.dumps(_real_result()))
    where = data.draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = data.draw(JSON)
    try:
        decoded = codec.decode(engine.FileResult, document)
    except codec.CodecError:
        return
    engine.finish([decoded], run_config(), engine.Run(TODAY))


def test_wrong_types_are_refused() -> None:
    good = json.loads(codec.dumps(_real_result()))
    for damage in ([], "x", None, [good[0]], [*good, 1, 2, 3], [1, *good[1:]]):
        with pytest.raises(codec.CodecError):
            codec.decode(engine.FileResult, damage)
    finding = good[1][0]
    for index, wrong in ((1, [1, 2, 3]), (1, [True, 1, 1, 1]), (4, "fatal"), (4, 1), (0, None)):
        changed = [*finding[:index], wrong, *finding[index + 1:]]
        with pytest.raises(codec.CodecError):
            codec.decode(engine.FileResult, [good[0], [changed], *good[2:]])
    with pytest.raises(codec.CodecError):
        codec.loads('[[[[[[' * 100_000, engine.FileResult)


class _Unknown(NamedTuple):
    when: dt.datetime
    level: Severity


def test_a_type_it_cannot_check_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        codec.decode(_Unknown, ["2026-01-01T00:00:00", "error"])
