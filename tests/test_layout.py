"""The package's layout rules: small modules, one module per rule, and imports that only go one way.

Module size: no module over MAX_LINES lines, except generated code and the modules listed in OVERSIZED, each
held to the size it has today so that it can only shrink; one that has shrunk below the limit must leave the
list. Rule families: a family that is a package has one module per rule, named after the rule. Imports: the
graph of module-level imports between medlint's modules has no cycle (imports inside functions, the deferred
ones, are not edges: they run after every module has loaded).
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

from support import ROOT

from medlint import rules
from medlint.rules.base import Rule

PACKAGE = ROOT / "src" / "medlint"
MAX_LINES = 400
GENERATED = {"_record_validator.py", "_limits_validator.py"}  # scripts/build_validator.py
NAMED_AFTER_THE_RULE = ("units", "text", "population", "limits", "sections")  # rules/literacy/ names its own
# Modules still over the limit, with the most lines each may have. Lower a number when a module shrinks.
OVERSIZED = {
    "cache.py": 437,
    "fix.py": 428,
    "quantities.py": 439,
}


def _modules() -> dict[str, Path]:
    """Every module by dotted name (a package by its own name, for its __init__.py)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_the_size_limit() -> None:
    over = {path.relative_to(PACKAGE).as_posix(): _lines(path) for path in _modules().values()
            if path.name not in GENERATED and _lines(path) > MAX_LINES}
    grown = {name: lines for name, lines in over.items() if lines > OVERSIZED.get(name, MAX_LINES)}
    assert grown == {}, f"over {MAX_LINES} lines (split them, as rules/units/ is split): {grown}"
    shrunk = set(OVERSIZED) - set(over)
    assert shrunk == set(), f"now within the limit, take them out of OVERSIZED: {shrunk}"


def test_a_family_package_has_one_module_per_rule_named_after_it() -> None:
    """rules/units/trailing_zero.py declares ML304 trailing-zero (cases: tests/rules/cases/ML304.yaml), and no
    module of a family package declares two rules."""
    packages = sorted(path.parent for path in (PACKAGE / "rules").glob("*/__init__.py"))
    for package in packages:
        for path in package.glob("[!_]*.py"):  # __init__.py collects the rules; _page.py and the like are helpers
            module = importlib.import_module(f"medlint.rules.{package.name}.{path.stem}")
            assert len([v for v in vars(module).values() if isinstance(v, Rule)]) <= 1, module.__name__
    for family in NAMED_AFTER_THE_RULE:
        declared = [rule for rule in rules.RULES if rule.family == family]
        assert declared, family
        for rule in declared:
            module = importlib.import_module(f"medlint.rules.{family}.{rule.name.replace('-', '_')}")
            assert [value for value in vars(module).values() if isinstance(value, Rule)] == [rule], rule.code


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module loads: at top level, or inside a top-level if or try."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            stack += node.body + node.orelse
        elif isinstance(node, ast.Try):
            stack += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
    return found


def _edges(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges = set()
    for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            edges |= {alias.name for alias in node.names if alias.name in modules}
            continue
        base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
        source = ".".join([*base, *([node.module] if node.module else [])])
        for alias in node.names:  # `from . import x` names a module; `from .x import y` a name in one
            target = f"{source}.{alias.name}"
            edges.add(target if target in modules else source)
    return {edge for edge in edges if edge in modules and edge != name}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, or [] when it has none (depth-first search, iterative)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if start in state:
            continue
        path, iterators = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while iterators:
            following = next(iterators[-1], None)
            if following is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following):], following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                iterators.append(iter(sorted(graph[following])))
    return []


def test_the_import_graph_has_no_cycle() -> None:
    modules = _modules()
    graph = {name: _edges(name, path, modules) for name, path in modules.items()}
    assert sum(map(len, graph.values())) > len(modules)  # the edges were found at all
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
