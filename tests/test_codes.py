"""A rule's code is written once, where the rule is declared: everything else names the rule object, so a
misspelt code cannot silently make a finding of no rule (issue 15)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from support import ROOT

from medlint.rules import BUILTIN

CODE = re.compile(r"ML[0-9]{3}")
PACKAGE = ROOT / "src" / "medlint"


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def _literals(path: Path) -> list[tuple[int, str, bool]]:
    """(line, code, declares) for each string literal in `path` that is a code: `declares` when it is the
    `code=` of a Rule(...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = {id(keyword.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name) and node.func.id == "Rule"
                for keyword in node.keywords if keyword.arg == "code"}
    skip = _docstrings(tree)
    return [(node.lineno, node.value, id(node) in declared) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and CODE.fullmatch(node.value)]


def test_no_code_literal_outside_its_rule_declaration() -> None:
    stray = [f"{path.relative_to(ROOT)}:{line}: {code}" for path in sorted(PACKAGE.rglob("*.py"))
             for line, code, declares in _literals(path) if not declares]
    assert stray == []


def test_every_code_is_declared_once_and_is_a_rule_of_the_registry() -> None:
    declared = [code for path in sorted(PACKAGE.rglob("*.py")) for _, code, declares in _literals(path) if declares]
    assert sorted(declared) == sorted(rule.code for rule in BUILTIN.rules)


def test_every_rule_has_a_check_or_is_the_engine_s_own() -> None:
    """Each rule reports through its own check: on the file's loading problems, on the record, across
    records, or on a dose-limit table. The meta family's findings are the engine's: crashes and suppressions
    (tested in test_engine)."""
    unchecked = [rule.code for rule in BUILTIN.rules if (rule.check, rule.check_corpus, rule.check_file,
                                                         rule.check_table) == (None, None, None, None)]
    assert unchecked == [rule.code for rule in BUILTIN.rules if rule.family == "meta"]
