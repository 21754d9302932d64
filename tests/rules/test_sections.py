"""Helpers behind ML201-ML203, robustness on malformed records, and the seed page."""
from __future__ import annotations

import pytest
from support import BASE, FIXTURES, lint_text, merge, source

from medlint.model import Finding
from medlint.record import Record
from medlint.rules.sections import common, placeholder_text, repeated_indication, single_dose_contradiction


def lint_seed() -> list[Finding]:
    """The seed page as published (tests/fixtures/seed/README.md lists its defects and their places)."""
    text = (FIXTURES / "seed" / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml").read_text(encoding="utf-8")
    return [f for f in lint_text(text) if f.suppressed is None]


def _base_with(**values: object) -> Record:
    """The clean base record with some top-level values replaced as parsed data."""
    record = source(BASE).record
    assert record is not None
    record.data.update(values)
    return record


@pytest.mark.parametrize(("haystack", "expected"), [
    ("sma in children. sma again", 2),
    ("smart smarter asma", 0),  # inside other words
    ("(sma) sma-related", 2),  # punctuation and hyphens bound a word
])
def test_whole_word_occurrences(haystack: str, expected: int) -> None:
    assert repeated_indication._occurrences(haystack, "sma") == expected


def test_normalising_folds_lines_and_case() -> None:
    assert common.normalised("Spinal  muscular\n  ATROPHY ") == "spinal muscular atrophy"


@pytest.mark.parametrize(("indication", "expected"), [
    ({"condition": "Spinal muscular atrophy (SMA)", "qualifier": "in pediatric patients"},
     ["spinal muscular atrophy (sma) in pediatric patients", "spinal muscular atrophy (sma)"]),
    ({"condition": "Asthma", "qualifier": "daily control"}, []),
    ({"condition": "Type 2 diabetes mellitus"}, ["type 2 diabetes mellitus"]),  # four words, 24 characters
    ("not a mapping", []),
])
def test_indication_phrases(indication: object, expected: list[str]) -> None:
    record = _base_with(indication=indication)
    assert repeated_indication._phrases(record, 4, 25) == expected


@pytest.mark.parametrize(("dosing", "expected"), [
    ([{"frequency": "once"}], True),
    ([{"frequency": " Once "}, {"frequency": "once"}], True),
    ([{"frequency": "once"}, {"frequency": "every 4 months"}], False),
    ([{"frequency": "once daily"}], False),
    ([], False),
    ([{"frequency": "once"}, "text"], False),
    ("once", False),
])
def test_one_time_only(dosing: object, expected: bool) -> None:
    assert single_dose_contradiction._one_time_only(_base_with(dosing=dosing)) is expected


@pytest.mark.parametrize("fragment", [
    "indication: [1, 2]\n",
    "drug: text\n",
    "sections: 5\n",
    "dosing: once\n",
    "dosing:\n  - 7\n  - frequency: [once]\n",
    "sections:\n  faq:\n    - question: 1\n      answer: {a: b}\n",
])
def test_malformed_records_do_not_crash(fragment: str) -> None:
    text, _ = merge(fragment)
    assert "ML900" not in [f.code for f in lint_text(text)]


def test_placeholder_pattern_is_case_aware() -> None:
    text = "TODO todo: Todo TBD tbd Tbd XXX xxx XXXL 47,XXX"
    found = [m.group(0) for m in placeholder_text._PLACEHOLDER.finditer(text)]
    assert found == ["TODO", "todo", "TBD", "tbd", "Tbd", "XXX", "xxx"]


def test_seed_page_boilerplate_is_found_where_tests_fixtures_seed_readme_says() -> None:
    findings = lint_seed()
    contradictions = {(f.line, f.column) for f in findings if f.code == "ML203"}
    assert {(53, 9), (52, 189), (50, 17), (31, 81)} <= contradictions  # the places README.md lists
    assert contradictions <= {(53, 9), (53, 33), (53, 85), (52, 176), (52, 189), (50, 17), (31, 68), (31, 81)}
    repeated = [f for f in findings if f.code == "ML202"]
    assert [(f.line, f.column) for f in repeated] == [(25, 102)]  # the 4th of 14, over the limit of 3
    assert "14 times" in repeated[0].message
    assert not [f for f in findings if f.code == "ML201"]  # the seed has no placeholder


def test_a_letter_that_case_folding_changes_does_not_lose_the_finding() -> None:
    sentence = "İnflammatory bowel disease of the colon is bad. "
    text, _ = merge("indication:\n  condition: İnflammatory bowel disease of the colon\n  population: adult\n"
                    f"summary: {sentence * 5}\n")
    found = [f for f in lint_text(text) if f.code in ("ML202", "ML900")]
    assert [f.code for f in found] == ["ML202"] and "5 times" in found[0].message
