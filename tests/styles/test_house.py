"""House rules of every kind, as an editor writes them, run by `medlint check` and `medlint fix`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from styles_support import RECORD, project, rule, run
from support import BASE, merge


def findings(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "check", "--select", "house", "--output-format", "json", *argv)
    assert code in (0, 1), err
    found: list[dict[str, Any]] = json.loads(out)["findings"]
    return found


def record(fragment: str) -> str:
    return merge(fragment, BASE)[0]


SUBSTITUTION = """\
kind: substitution
swap:
  medication: medicine
  physician: [doctor, care team]
  5 mg: five mg
"""


def test_existence_finds_whole_words_in_any_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    text = record("summary: Families were Non-compliant, or   failed\n  treatment.\n")
    project(tmp_path, monkeypatch, text)
    rule(tmp_path, "no-blame", """\
        kind: existence
        severity: error
        tokens: [non-compliant, failed treatment]
        message: "`{match}` in {field} blames the patient"
    """)
    found = findings(capsys)
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [
        ("house/no-blame", "error", "`Non-compliant` in summary blames the patient"),
        ("house/no-blame", "error", "`failed treatment` in summary blames the patient")]
    line = text.splitlines().index("summary: Families were Non-compliant, or   failed") + 1
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [(line, 24, line, 37),
                                                                                       (line, 44, line + 1, 12)]


def test_existence_is_silent_inside_other_words_and_outside_its_scope(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: It is a premedication step, with noncompliant text.\n"
                                          "dosing:\n  - label: adults\n    population: pediatric\n    dose:\n"
                                          "      value: 1.1e14\n      unit: vector genomes/kg\n"
                                          "    route: intravenous\n    frequency: once\n"))
    rule(tmp_path, "words", """\
        kind: existence
        tokens: [medication, compliant, adults]
        scope: ["summary", "sections.*"]
    """)
    assert findings(capsys) == []


def test_existence_with_nonword_matches_inside_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: It is a premedication step.\n"))
    rule(tmp_path, "words", "kind: existence\nnonword: true\ntokens: [medication]\n")
    assert [f["message"] for f in findings(capsys)] == [
        "`medication` in summary: the house style does not use it"]


def test_existence_with_regex_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: It is given quickly and safely.\n"))
    rule(tmp_path, "adverbs", "kind: existence\nregex: true\ntokens: ['\\w+ly']\nscope: [summary]\n")
    assert [f["message"].split("`")[1] for f in findings(capsys)] == ["quickly", "safely"]


def test_substitution_preserves_case_and_offers_one_replacement(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: Medication first. Then MEDICATION and medication. Ask a "
                                          "physician. Take 5 mg.\n"))
    rule(tmp_path, "plain", SUBSTITUTION)
    found = findings(capsys)
    assert [(f["message"], f["hint"], f.get("fixable", False)) for f in found] == [
        ("`Medication` in summary: the house style writes `Medicine`", "write `Medicine`", True),
        ("`MEDICATION` in summary: the house style writes `MEDICINE`", "write `MEDICINE`", True),
        ("`medication` in summary: the house style writes `medicine`", "write `medicine`", True),
        ("`physician` in summary: the house style writes `doctor or care team`", "write `doctor or care team`",
         False),
        # a style fix never changes a number: `5 mg` -> `five mg` is reported, not fixed
        ("`5 mg` in summary: the house style writes `five mg`", "write `five mg`", False),
    ]


def test_substitution_fix_writes_the_replacement_and_nothing_else(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = record("summary: >-\n  Medication first. Then MEDICATION, medication # not a comment\n  and a physician. "
                  "Take 5 mg.\n")
    root = project(tmp_path, monkeypatch, text)
    rule(root, "plain", SUBSTITUTION)
    code, _out, err = run(capsys, "fix", "--select", "house")
    assert code == 0, err
    fixed = (root / RECORD).read_text(encoding="utf-8")
    assert fixed == text.replace("Medication first", "Medicine first").replace("MEDICATION", "MEDICINE") \
        .replace("medication #", "medicine #")
    assert [f["code"] for f in findings(capsys)] == ["house/plain", "house/plain"]  # physician, 5 mg: no fix


def test_substitution_is_silent_on_the_preferred_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: Give the medicine. Premedications are not covered.\n"))
    rule(tmp_path, "plain", SUBSTITUTION)
    assert findings(capsys) == []


def test_case_sensitive_substitution_keeps_the_replacement_as_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: The Mutual TLS and mutual TLS.\n"))
    rule(tmp_path, "tls", "kind: substitution\nignore-case: false\nswap:\n  Mutual TLS: mutual TLS\n")
    assert [f["message"] for f in findings(capsys)] == ["`Mutual TLS` in summary: the house style writes "
                                                        "`mutual TLS`"]


OCCURRENCE = """\
kind: occurrence
tokens: [spinal muscular atrophy]
max: 2
scope: ["summary", "sections.*"]
"""


def test_occurrence_per_field_points_at_the_first_match_too_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    summary = "Spinal muscular atrophy. " * 3
    project(tmp_path, monkeypatch, record(f"summary: {summary.strip()}\n"))
    rule(tmp_path, "once", OCCURRENCE)
    found = findings(capsys)
    assert [f["message"] for f in found] == [
        "`Spinal muscular atrophy` appears 3 times in summary: the house style allows 0 to 2"]
    line = record(f"summary: {summary.strip()}\n").splitlines()[found[0]["line"] - 1]
    assert line[found[0]["column"] - 1:].startswith("Spinal muscular atrophy.") and found[0]["column"] == 60


def test_occurrence_per_field_is_silent_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: Spinal muscular atrophy. Spinal muscular atrophy.\n"
                                          "sections:\n  why_used: Spinal muscular atrophy. Spinal muscular atrophy.\n"))
    rule(tmp_path, "once", OCCURRENCE)
    assert findings(capsys) == []


def test_occurrence_per_record_counts_every_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: Spinal muscular atrophy. Spinal muscular atrophy.\n"
                                          "sections:\n  why_used: Spinal muscular atrophy.\n"))
    rule(tmp_path, "once", OCCURRENCE + "per: record\nmessage: '{count} times in {field}, at most {max}'\n")
    found = findings(capsys)
    assert [(f["message"], f["pointer"]) for f in found] == [("3 times in the record, at most 2",
                                                              "/sections/why_used")]


def test_occurrence_min_asks_for_a_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    rule_text = "kind: occurrence\ntokens: [call 911]\nmin: 1\nper: record\nscope: [warnings]\n" \
                "message: 'the warnings say {match!s}{count} times; at least {min}'\n"
    project(tmp_path, monkeypatch, record("warnings:\n  boxed: Serious liver injury.\n"))
    rule(tmp_path, "emergency", rule_text.replace("{match!s}", ""))
    assert [f["message"] for f in findings(capsys)] == ["the warnings say 0 times; at least 1"]
    project(tmp_path, monkeypatch, record("warnings:\n  boxed: Serious liver injury. Call 911 at once.\n"))
    assert findings(capsys) == []


def test_capitalisation_fixes_to_the_house_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    text = record("summary: ZOLGENSMA uses aav9 to carry Smn1. Zolgensma and AAV9 are right.\n")
    root = project(tmp_path, monkeypatch, text)
    rule(root, "names", "kind: capitalisation\nterms: [Zolgensma, AAV9, SMN1]\n")
    assert [f["message"] for f in findings(capsys)] == [
        "`ZOLGENSMA` in summary: the house style writes `Zolgensma`",
        "`aav9` in summary: the house style writes `AAV9`",
        "`Smn1` in summary: the house style writes `SMN1`"]
    assert run(capsys, "fix", "--select", "house")[0] == 0
    assert (root / RECORD).read_text(encoding="utf-8") == text.replace("ZOLGENSMA uses aav9 to carry Smn1",
                                                                       "Zolgensma uses AAV9 to carry SMN1")
    assert findings(capsys) == []


ADULT_WORDS = """\
kind: existence
severity: error
when:
  indication.population: pediatric
tokens: [adults]
"""


def test_conditional_rule_runs_only_where_its_condition_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    children = record("summary: It is for adults and children.\n")  # the base record is pediatric
    project(tmp_path, monkeypatch, children)
    rule(tmp_path, "adult-words", ADULT_WORDS)
    assert [f["code"] for f in findings(capsys)] == ["house/adult-words"]
    adults = children.replace("  population: pediatric\n  age_range:\n    under: 2 years\n", "  population: adult\n")
    project(tmp_path, monkeypatch, adults)
    assert findings(capsys) == []


def test_conditional_on_a_list_of_values_and_an_absent_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record("summary: It is for adults.\n"))
    rule(tmp_path, "a", ADULT_WORDS.replace("pediatric", "[neonatal, pediatric]"))
    rule(tmp_path, "b", ADULT_WORDS.replace("indication.population", "indication.nothing"))
    rule(tmp_path, "c", ADULT_WORDS.replace("indication.population: pediatric", "dosing[0].route: intravenous"))
    assert sorted(f["code"] for f in findings(capsys)) == ["house/a", "house/c"]


def test_field_globs_select_fields_and_list_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, record(
        "summary: banned\nsections:\n  why_used: banned\n  faq:\n    - question: banned?\n      answer: banned\n"
        "dosing:\n  - label: banned\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
        "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n    notes: banned\n"))
    rule(tmp_path, "banned", "kind: existence\ntokens: [banned]\nscope: ['sections.faq[*].answer', "
                             "'dosing[*].label']\n")
    assert [f["pointer"] for f in findings(capsys)] == ["/sections/faq/0/answer", "/dosing/0/label"]
    rule(tmp_path, "banned", "kind: existence\ntokens: [banned]\nscope: ['sections.*']\n")
    assert [f["pointer"] for f in findings(capsys)] == ["/sections/why_used", "/sections/faq/0/question",
                                                        "/sections/faq/0/answer"]


def test_default_scope_is_the_patient_facing_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, BASE)
    rule(tmp_path, "reviewer", "kind: existence\ntokens: [Reviewer, dailymed]\n")  # review and sources only
    assert findings(capsys) == []


def test_suppressions_by_code_and_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    text = record("summary: Give the medication.  # medlint: disable=house/plain -- the label's word\n"
                  "warnings:\n  # medlint: disable-next-line=plain -- quoted from the label\n"
                  "  boxed: Medication errors.\n"
                  "sources:\n  - title: medication  # medlint: disable=house/nothing -- a typo\n"
                  "    kind: prescribing-information\n    url: https://example.org\n    accessed: 2026-02-27\n")
    project(tmp_path, monkeypatch, text)
    rule(tmp_path, "plain", SUBSTITUTION)
    _code, out, _err = run(capsys, "check", "--output-format", "json")
    report = json.loads(out)
    assert [f["code"] for f in report["findings"]] == ["ML902"] and report["summary"]["suppressed"] == 2
    assert "house/nothing" in report["findings"][0]["message"]
    unsuppressed = text.replace("# medlint: disable", "# medlint- disable")
    project(tmp_path, monkeypatch, unsuppressed)
    assert [f["pointer"] for f in findings(capsys)] == ["/summary", "/warnings/boxed"]
