"""Every rule is documented in ruff's shape, and its Example triggers it while Use instead does not."""
from __future__ import annotations

import pytest
from support import BASE, lint_text, merge, opted_in

from medlint import docs, rules
from medlint.rules.base import Rule

SIBLINGS = ("other-indication", "third-indication")
# ML900 reports medlint's own crashes: no record can trigger it, tests/test_engine.py injects one instead
UNTRIGGERABLE = {"ML900"}


def _lint(rule: Rule, fragment: str, encoding: str = "utf-8") -> list[str]:
    docs = rule.docs
    if docs.example_file:  # the examples are whole files of another kind (a dose-limit table)
        findings = lint_text(fragment, path=docs.example_file)
        return [f.code for f in findings if f.suppressed is None]
    text, _ = merge(fragment)
    findings = lint_text(text.encode(encoding), options={rule.code: dict(docs.example_options)},
                         previous=BASE, siblings=SIBLINGS, limits=docs.example_limits or None,
                         settings=opted_in(rule.code))
    return [f.code for f in findings if f.suppressed is None]


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_docs_have_every_section(rule: Rule) -> None:
    text = docs.rule_markdown(rule)
    positions = [text.index(f"## {heading}\n") for heading in docs.HEADINGS]
    assert positions == sorted(positions)
    assert rule.docs.what and rule.docs.why and rule.docs.references
    assert rule.summary.endswith(".")
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name


@pytest.mark.parametrize("rule", [r for r in rules.RULES if r.code not in UNTRIGGERABLE],
                         ids=lambda r: f"{r.code}-{r.name}")
def test_example_triggers_and_use_instead_is_clean(rule: Rule) -> None:
    assert rule.code in _lint(rule, rule.docs.example, rule.docs.example_encoding), \
        "the Example does not trigger the rule"
    assert rule.code not in _lint(rule, rule.docs.use_instead), "Use instead still triggers the rule"


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in rules.RULES}) == len(rules.RULES)
    assert len({r.name for r in rules.RULES}) == len(rules.RULES)


def test_base_record_is_clean() -> None:
    assert [f for f in lint_text(BASE, siblings=SIBLINGS) if f.suppressed is None] == []
