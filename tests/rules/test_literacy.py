"""The health-literacy pack (ML711-ML714): opt-in selection, SMOG's counting, the safe fixes, and silence on
correct records."""
from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from support import BASE, BASE_PATH, FIXTURES, ROOT, TODAY, merge, run_config, source

from medlint import config as config_mod, engine, fix, runner
from medlint.cli import main
from medlint.record import Record
from medlint.rules import literacy
from medlint.rules.literacy.smog import smog

PACK = {rule.code for rule in literacy.RULES}


@pytest.mark.parametrize("select", [None, ["ALL"], ["ML7"], ["readability"]])
def test_the_pack_is_off_unless_named(select: list[str] | None) -> None:
    assert not PACK & run_config(select=select).rules.enabled
    assert "ML701" in run_config(select=select).rules.enabled


@pytest.mark.parametrize(("select", "expected"), [
    (["health-literacy"], PACK), (["HEALTH-LITERACY"], PACK), (["ML712"], {"ML712"}),
    (["plain-language", "ALL"], {"ML712"}), (["ml713"], {"ML713"}),
])
def test_a_code_name_or_family_turns_it_on(select: list[str], expected: set[str]) -> None:
    assert run_config(select=select).rules.enabled & PACK == expected


def test_config_select_extend_select_and_ignore() -> None:
    assert config_mod.build({"select": ["health-literacy"]}, root=ROOT).rules.enabled == PACK
    enabled = config_mod.build({"extend-select": ["health-literacy"], "ignore": ["ML711"]}, root=ROOT).rules.enabled
    assert PACK - {"ML711"} <= enabled and "ML711" not in enabled and "ML101" in enabled


def test_rules_lists_the_opt_in_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.endswith("(opt-in: --select health-literacy)") == (line[:5] in PACK) for line in lines)
    assert main(["rules", "--output-format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in listed if not r["default_enabled"]} == PACK


def _record(fragment: str) -> Record:
    record = source(merge(fragment)[0]).record
    assert record is not None
    return record


def test_smog_counts_headings_and_list_items_as_sentences() -> None:
    """The title, each FAQ question and each list item is a sentence without a full stop; words of three or
    more syllables count every time (McLaughlin), names as one syllable (as ML701)."""
    record = _record("""sections:
  why_used: Medicine helps. Nobody knows everything.
  mechanism: It works
  what_to_expect:
    - Regular visits
    - Another visit
  alternatives: None
  when_to_talk_to_doctor:
    - Fever
  faq:
    - question: Is it dangerous
      answer: Zolgensma is given once
summary: One dose
indication:
  condition: Spinal muscular atrophy (SMA)
  population: pediatric
  age_range:
    under: 2 years
""")
    measured = smog(record)
    # the title, the summary, why_used (2), mechanism, 2 items, alternatives, 1 item, the question, the answer
    assert measured.sentences == 11
    # muscular, atrophy, medicine, nobody, everything, regular, another, dangerous (Zolgensma, SMA: names)
    assert measured.polysyllables == 8
    assert measured.grade == pytest.approx(1.0430 * math.sqrt(8 * 30 / 11) + 3.1291)


def _fixed(fragment: str) -> str:
    text, _ = merge(fragment)
    plan = fix.plan(text.encode(), BASE_PATH, run_config(select=["health-literacy"]), engine.Run(TODAY))
    return plan.after.decode()


def test_plain_language_fixes_one_replacement_keeping_the_capital() -> None:
    after = _fixed("""summary: >-
  Approximately 1 hour before, the team will discontinue other treatment prior to the infusion
  and check for hypertension.
""")
    assert "  About 1 hour before, the team will stop other treatment before the infusion\n" in after
    assert "and check for hypertension." in after  # two plain forms: suggested, never fixed


def test_plain_language_fix_leaves_block_capitals_alone() -> None:
    assert "PRIOR TO" in _fixed("summary: Zolgensma is given once, PRIOR TO other care.\n")


UNSEEN = FIXTURES / "unseen"


@pytest.mark.parametrize("folder", [ROOT / "records", UNSEEN])
def test_the_pack_is_silent_on_correct_records(folder: object) -> None:
    """Every record of records/ and every correct record written as editors write them (tests/fixtures/unseen,
    with the health-* records written for this pack), with the pack selected."""
    outcome, missing = runner.check([str(folder)], run_config(select=["health-literacy"]),
                                    engine.Run(dt.date(2026, 11, 25)))
    assert missing == [] and outcome.records > 20
    assert [f"{f.path}:{f.line} {f.code} {f.message}" for f in outcome.findings] == []


def test_the_base_record_is_clean_with_the_pack() -> None:
    record = source(BASE)
    findings = engine.lint([record], run_config(select=["ALL", "health-literacy"]), engine.Run(TODAY))
    assert [f.code for f in findings] == []
