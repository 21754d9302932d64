"""The core: selection, crash containment, cross-record rules with context."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import BASE, BASE_PATH, ROOT, TODAY, codes, lint_text, merge, run_config, source

from medlint import config as config_mod, engine, fix
from medlint.config import Config
from medlint.model import Hit, Severity
from medlint.record import Record
from medlint.rules.base import Docs, Rule, RuleContext


def _boom(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield Hit(("id",), "first")
    raise RuntimeError("kaput")


def test_a_crashing_rule_becomes_an_internal_error_and_others_still_run() -> None:
    broken = Rule("ML999", "broken-rule", "meta", Severity.ERROR, "Crashes.", Docs("x", "y", "", ""), check=_boom)
    text, _ = merge("language: English\n")
    config = config_mod.build({}, root=ROOT, extra_rules=(broken,))
    findings = engine.lint([source(text)], config, engine.Run(TODAY))
    by_code = {f.code: f for f in findings}
    assert "ML104" in by_code and "ML999" in by_code
    crash = by_code["ML900"].message
    assert "ML999 (broken-rule) crashed" in crash and "RuntimeError: kaput" in crash


def test_cross_record_rules_use_context_records() -> None:
    text = BASE.replace("generic_name: onasemnogene abeparvovec-xioi", "generic_name: onasemnogene abeparvovec")
    findings = lint_text(text, siblings=("other-indication", "third-indication"))
    assert [f.code for f in findings] == ["ML112"]
    assert "onasemnogene abeparvovec-xioi" in findings[0].message


def test_duplicate_ids_are_reported_on_the_record_checked() -> None:
    text = BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: zolgensma/other-indication")
    assert sorted(f.code for f in lint_text(text, siblings=("other-indication",))) == ["ML110", "ML111"]


def test_disabled_rules_do_not_run() -> None:
    text, _ = merge("language: English\n")
    config = run_config(select=["ML00"])
    assert engine.lint([source(text)], config, engine.Run(TODAY)) == []


def test_findings_are_sorted_and_carry_pointer_and_subject() -> None:
    text, _ = merge("language: English\nschema_version: 2\n")
    findings = lint_text(text)
    assert [f.line for f in findings] == sorted(f.line for f in findings)
    assert {f.pointer for f in findings} == {"/language", "/schema_version"}


def test_unparsable_file_yields_one_finding_and_no_facts() -> None:
    result = engine.lint_source(source("a: [\n"), run_config(), engine.Run(TODAY))
    assert [f.code for f in result.findings] == ["ML001"] and result.facts is None


def _placeholder_dose(route: str, value: str = "1.1e14") -> str:
    return BASE.replace("route: intravenous", f"route: {route}").replace("value: 1.1e14", f"value: {value}")


def test_a_value_that_is_a_placeholder_is_reported_once_as_a_placeholder() -> None:
    findings = lint_text(_placeholder_dose("<route>", "<dose value>"))
    assert sorted((f.code, f.subject) for f in findings) == [
        ("ML201", "dosing[0].dose.value: <dose value>"), ("ML201", "dosing[0].route: <route>")]


def test_a_placeholder_stands_in_only_while_it_is_an_active_error() -> None:
    text = _placeholder_dose("<route>")
    assert sorted(f.code for f in lint_text(text)) == ["ML201"]
    # partly a placeholder: the two findings cover different characters, and both stand
    assert sorted(f.code for f in lint_text(_placeholder_dose("oral <or not>"))) == ["ML104", "ML201"]
    suppressed = text.replace("route: <route>", "route: <route>  # medlint: disable=ML201 -- filled in by the CMS")
    assert codes(lint_text(suppressed)) == ["ML104"]
    downgraded = engine.lint([source(text)], config_mod.build({"severity": {"ML201": "warning"}}, root=ROOT),
                             engine.Run(TODAY))
    assert sorted(f.code for f in downgraded) == ["ML104", "ML201"]
    ignored = engine.lint([source(text)], config_mod.build({"ignore": ["ML201"]}, root=ROOT), engine.Run(TODAY))
    assert [f.code for f in ignored] == ["ML104"]


def _with_broken_rule(select: list[str] | None = None) -> Config:
    broken = Rule("ML999", "broken-rule", "units", Severity.ERROR, "Crashes.", Docs("x", "y", "", ""), check=_boom)
    return config_mod.build({}, root=ROOT, select=select, extra_rules=(broken,))


@pytest.mark.parametrize("comment", ["disable=ML900", "disable=internal-error", "disable=ML9", "disable=meta",
                                     "disable=ALL", "disable-next-line=ML900"])
def test_a_crash_cannot_be_suppressed(comment: str) -> None:
    """Issue 12: `# medlint: disable=ML900 -- reason` on line 1 turned a crashed record into "All clear"."""
    config = _with_broken_rule()
    text = f"# medlint: {comment} -- the rule is flaky\n" + BASE
    findings = engine.lint([source(text)], config, engine.Run(TODAY))
    [crash] = [f for f in findings if f.code == "ML900"]
    assert crash.suppressed is None and crash.line == 1
    named = "ML900" in comment or "internal-error" in comment
    assert [f.code for f in findings if f.code == "ML902"] == (["ML902"] if named else [])


def test_a_selection_that_leaves_ml900_out_still_reports_a_crash() -> None:
    narrow = _with_broken_rule(select=["ML999"])
    findings = engine.lint([source(BASE)], narrow, engine.Run(TODAY))
    assert "ML900" in {f.code for f in findings}


def _many(count: int) -> str:
    """A record whose summary holds `count` error-prone units, one per line after the first."""
    lines = "".join(f"  Take 5 cc on day {day}.\n" for day in range(count))
    return merge("summary: >-\n" + lines)[0]


def test_findings_per_rule_are_capped_with_a_summary_finding() -> None:
    findings = engine.lint([source(_many(250))], run_config(), engine.Run(TODAY))
    units = [f for f in findings if f.code == "ML302"]
    assert len(units) == 101
    summary = units[-1]
    assert summary.message.startswith("and 150 more ML302 (error-prone-unit) findings in this file, from here on")
    assert summary.fix is None and summary.subject == "(more findings)"
    assert summary.line == units[-2].line + 1  # where the first finding not shown is


def test_the_cap_is_configurable_and_zero_shows_everything() -> None:
    text = _many(250)
    for cap, shown in ((10, 11), (0, 250), (250, 250), (249, 250)):
        config = config_mod.build({"max-findings-per-rule": cap}, root=ROOT)
        assert len([f for f in engine.lint([source(text)], config, engine.Run(TODAY)) if f.code == "ML302"]) == shown


@pytest.mark.parametrize("value", [-1, "100", 1.5, True])
def test_the_cap_must_be_a_whole_number(value: object) -> None:
    with pytest.raises(config_mod.ConfigError, match="max-findings-per-rule"):
        config_mod.build({"max-findings-per-rule": value}, root=ROOT)


def test_suppressed_findings_do_not_count_against_the_cap() -> None:
    text = _many(150).replace("  Take 5 cc on day 149.", "  # medlint: disable-next-line=ML302 -- quoted\n"
                                                           "  Take 5 cc on day 149.")
    config = config_mod.build({"max-findings-per-rule": 150}, root=ROOT)
    findings = engine.lint([source(text)], config, engine.Run(TODAY))
    assert len([f for f in findings if f.code == "ML302" and f.suppressed is None]) == 149
    assert [f.code for f in findings if f.suppressed] == ["ML302"] and "ML901" not in {f.code for f in findings}


def test_fix_is_not_capped() -> None:
    plan = fix.plan(_many(250).encode(), BASE_PATH, run_config(), engine.Run(TODAY))
    assert not plan.refused and b" cc " not in plan.after and len(plan.fixed) == 250
