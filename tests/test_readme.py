"""The README's first commands are the ones CI runs, and the rule catalogue is current."""
from __future__ import annotations

from support import ROOT

from medlint import docs, rules


def _commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    return [line.strip() for line in lines if line.startswith("    ")]


def test_readme_starts_with_the_two_commands() -> None:
    check, test = _commands()
    assert check.endswith("medlint check records/") and "pip install" in check
    assert test.endswith("pytest") and "pip install" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in ci


def test_rule_catalogue_is_generated_from_the_registry() -> None:
    catalogue = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert catalogue == docs.reference_markdown(rules.RULES), "run: medlint rules --format markdown > docs/rules.md"
