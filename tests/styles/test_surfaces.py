"""House rules are first-class: listed, explained, selected, re-graded, reported and cached like built-in ones."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from styles_support import EXAMPLE, RECORD, project, rule, run, write
from support import BASE, merge

from medlint import rules

TEXT = merge("summary: Give the medication. It arguably uses an aav9 carrier.\n", BASE)[0]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example content repository's rules and Vale style, with one record that breaks three of them."""
    root = project(tmp_path, monkeypatch, TEXT, (EXAMPLE / "medlint.toml").read_text(encoding="utf-8"))
    shutil.copytree(EXAMPLE / "styles", root / "styles")
    shutil.copytree(EXAMPLE / "vale", root / "vale")
    return root


def codes(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    code, out, err = run(capsys, "check", "--output-format", "json", *argv)
    assert code in (0, 1), err
    return [f["code"] for f in json.loads(out)["findings"]]


def test_the_example_repository_runs_every_kind_in_one_check(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert codes(capsys) == ["house/plain-words", "vale/Team.Hedging", "house/brand-names"]


@pytest.mark.parametrize(("argv", "expected"), [
    (("--select", "house"), ["house/plain-words", "house/brand-names"]),
    (("--select", "house/"), ["house/plain-words", "house/brand-names"]),
    (("--select", "plain-words"), ["house/plain-words"]),
    (("--select", "HOUSE/PLAIN-WORDS"), ["house/plain-words"]),
    (("--select", "vale/Team."), ["vale/Team.Hedging"]),
    (("--ignore", "house/brand-names", "--ignore", "team-hedging"), ["house/plain-words"]),
    (("--select", "house,vale/Team.Hedging", "--ignore", "house/plain-words"), ["vale/Team.Hedging",
                                                                                "house/brand-names"]),
    (("--select", "ML"), []),
])
def test_select_and_ignore_by_code_name_prefix_and_family(repo: Path, capsys: pytest.CaptureFixture[str],
                                                          argv: tuple[str, ...], expected: list[str]) -> None:
    assert codes(capsys, *argv) == expected


def test_unknown_house_rule_gets_a_did_you_mean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--select", "plain-word")
    assert code == 2 and "did you mean `plain-words`?" in err


def test_config_severity_and_per_path_ignores(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = (repo / "medlint.toml").read_text(encoding="utf-8")
    write(repo, "medlint.toml", config + '[severity]\n"house/plain-words" = "error"\n')
    code, out, _ = run(capsys, "check", "--select", "plain-words")
    assert code == 1 and "house/plain-words error plain-words" in out
    write(repo, "medlint.toml", config + '[per-path-ignores]\n"records/zolgensma/*" = ["house"]\n')
    assert codes(capsys) == ["vale/Team.Hedging"]


def test_rules_lists_house_rules_after_the_built_in_ones(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(rules.BUILTIN.rules) + 7
    assert lines[len(rules.BUILTIN.rules)].split()[:4] == ["house/brand-names", "brand-names", "warning", "fix"]
    assert lines[-1].split()[:3] == ["vale/Team.Wordy", "team-wordy", "warning"]
    listed = json.loads(run(capsys, "rules", "--output-format", "json")[1])
    assert {"code": "house/condition-once", "name": "condition-once", "family": "house", "severity": "warning",
            "fixable": False, "options": {}, "default_enabled": True,
            "summary": "Finds a text that spells out the condition's full name more than twice."} in listed
    assert "\n## house/plain-words plain-words\n" in run(capsys, "rules", "--output-format", "markdown")[1]


def test_explain_prints_the_house_docs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "house/no-patient-blame")
    assert code == 0 and out.startswith("# house/no-patient-blame no-patient-blame\n\nFinds wording that blames")
    for heading in ("What it does", "Why it matters", "Example", "Use instead", "References"):
        assert f"\n## {heading}\n" in out
    assert "- Our house style guide, section 5 (respectful language)" in out


def test_sarif_describes_the_house_rules(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(capsys, "check", "--output-format", "sarif")
    sarif = json.loads(out)["runs"][0]
    described = {rule["id"]: rule for rule in sarif["tool"]["driver"]["rules"]}
    assert described["house/plain-words"]["properties"]["tags"] == ["medlint", "house"]
    assert "## Use instead" in described["house/plain-words"]["help"]["markdown"]
    results = [(result["ruleId"], result["ruleIndex"]) for result in sarif["results"]]
    assert [described_id for described_id, _ in results] == ["house/plain-words", "vale/Team.Hedging",
                                                              "house/brand-names"]
    assert all(sarif["tool"]["driver"]["rules"][index]["id"] == rule_id for rule_id, index in results)


def test_the_editors_report_counts_house_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "report", "--today", "2026-11-25", "--output-format", "markdown", "--output", "-")
    assert code == 0, err
    assert "house/plain-words" in out and "vale/Team.Hedging" in out


def test_test_styles_passes_the_example_and_fails_a_wrong_example(repo: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "test-styles")
    assert code == 0 and out.splitlines()[-1] == "5 passed, 0 failed, 2 without examples"
    assert "ok    house/plain-words" in out and "--    vale/Team.Wordy: no examples to test (a Vale rule)" in out
    rule(repo, "plain-words", "kind: substitution\nswap: {medication: medicine}\n",
         "docs:\n  what: W.\n  why: Y.\n  example: 'summary: the medicine'\n  use-instead: 'summary: a medication'\n")
    code, out, _ = run(capsys, "test-styles")
    assert code == 1
    assert "FAIL  house/plain-words: Example does not trigger the rule; Use instead still triggers the rule: " \
           "`medication` in summary: the house style writes `medicine`" in out
    assert out.splitlines()[-1] == "4 passed, 1 failed, 2 without examples"


def test_test_styles_reports_an_example_that_is_no_record(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule(repo, "plain-words", "kind: substitution\nswap: {medication: medicine}\n",
         "docs:\n  what: W.\n  why: Y.\n  example: 'summary: [unclosed'\n  use-instead: 'summary: medicine'\n")
    code, out, _ = run(capsys, "test-styles")
    assert code == 1 and "FAIL  house/plain-words: Example does not read as a record merged into a clean one" in out


def test_no_rules_to_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch)
    assert run(capsys, "test-styles") == (0, "no house rules, Vale rules or plugin rules to test "
                                             "(see docs/house-rules.md)\n", "")


def test_a_changed_rule_file_is_not_served_from_the_cache(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = ["--cache-dir", str(repo / ".cache")]
    assert codes(capsys, *cache, "--select", "house") == ["house/plain-words", "house/brand-names"]
    rule(repo, "plain-words", "kind: substitution\nswap: {physician: doctor}\n",
         "docs:\n  what: W.\n  why: Y.\n  example: 'summary: a physician'\n  use-instead: 'summary: a doctor'\n")
    assert codes(capsys, *cache, "--select", "house") == ["house/brand-names"]


def test_a_rule_file_write_changes_nothing_else(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / RECORD).read_bytes()
    run(capsys, "check")
    assert (repo / RECORD).read_bytes() == before
