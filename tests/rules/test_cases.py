"""Data-driven pass/fail cases: tests/rules/cases/<CODE>.yaml, one file per rule.

Each case is a fragment over the clean base record (see support.merge) and the findings *of that rule*
it must produce, as lines counted from the fragment's first line (and optional message words). `limits` is
the text of the drug's dose-limit table (YAML anchors share one between cases), `settings` [tool.medlint] keys."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import BASE, lint_text, merge, opted_in

from medlint import rules

CASES = Path(__file__).parent / "cases"


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((path.stem, case))
    return out


ALL = _load()


@pytest.mark.parametrize(("code", "case"), ALL, ids=[f"{c}: {case['name']}" for c, case in ALL])
def test_case(code: str, case: dict[str, Any]) -> None:
    assert rules.BUILTIN.lookup(code) is not None, f"{code}.yaml names no rule"
    text, offset = merge(case["fragment"])
    today = case.get("today")
    findings = lint_text(text.encode(case.get("encoding", "utf-8")),
                         path=case.get("path", "records/zolgensma/spinal-muscular-atrophy.yaml"),
                         today=dt.date.fromisoformat(str(today)) if today else dt.date(2026, 11, 25),
                         options={code: case["options"]} if "options" in case else None,
                         previous=merge(case["previous"])[0] if "previous" in case else None,
                         siblings=tuple(case.get("siblings", ())), limits=case.get("limits"),
                         settings=opted_in(code, case.get("settings")))
    mine = [f for f in findings if f.code == code and f.suppressed is None]
    expected = case.get("expect") or []
    got = sorted((f.line - offset + 1, f.column) for f in mine)
    want_lines = sorted(e["line"] for e in expected)
    assert [line for line, _ in got] == want_lines, "\n".join(f"{f.line - offset + 1}:{f.column} {f.message}"
                                                              for f in mine)
    for want in expected:
        matching = [f for f in mine if f.line - offset + 1 == want["line"]]
        if "column" in want:
            assert any(f.column == want["column"] for f in matching), [f.column for f in matching]
        for word in want.get("contains", []):
            assert any(word in f.message or word in (f.hint or "") for f in matching), [f.message for f in matching]


def test_every_checked_rule_has_pass_and_fail_cases() -> None:
    by_code: dict[str, list[dict[str, Any]]] = {}
    for code, case in ALL:
        by_code.setdefault(code, []).append(case)
    for rule in rules.RULES:
        if rule.check is None and rule.check_corpus is None:
            continue
        cases = by_code.get(rule.code, [])
        assert any(c.get("expect") for c in cases), f"{rule.code} has no failing case"
        assert any(not c.get("expect") for c in cases), f"{rule.code} has no passing (near-miss) case"


def test_base_is_the_clean_record() -> None:
    assert "schema_version: 1" in BASE
