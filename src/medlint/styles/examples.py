"""Rule docs' examples, checked: a fragment's top-level keys replace those of a clean record, and the
Example must trigger its rule while Use instead must not. tests/rules/test_docs.py checks the built-in
rules so; `medlint test-styles` checks the editors' own the same way, with the same merge."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..rules.base import Rule

if TYPE_CHECKING:
    from ..config import Config

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.M)
EXAMPLE_PATH = "records/zolgensma/spinal-muscular-atrophy.yaml"  # where the clean record belongs


def clean_record() -> str:
    """A correct record every built-in rule passes (the same as tests/fixtures/base-record.yaml)."""
    return (resources.files("medlint") / "data" / "example-record.yaml").read_text(encoding="utf-8")


def _blocks(text: str) -> list[tuple[str | None, str]]:
    """Split a document into top-level blocks: (key, text); leading comments stay with their block."""
    blocks: list[tuple[str | None, str]] = []
    current_key: str | None = None
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        match = _TOP_KEY.match(line)
        if match and (current_key is not None or current):
            if current_key is not None or any(not held.startswith("#") and held.strip() for held in current):
                blocks.append((current_key, "".join(current)))
                current = []
            current_key = match.group(1)
        elif match:
            current_key = match.group(1)
        current.append(line)
    blocks.append((current_key, "".join(current)))
    return blocks


def merge(fragment: str, base: str) -> tuple[str, int]:
    """The base record with the fragment's top-level keys replaced (the fragment is appended at the end),
    and the line number in the result at which the fragment starts.

    A fragment starting with `---` is a whole document; one starting with a BOM puts it at the file start.
    """
    if fragment.startswith("---"):
        return fragment, 1
    bom = ""
    if fragment.startswith("\ufeff"):
        bom, fragment = "\ufeff", fragment[1:]
    replaced = set(_TOP_KEY.findall(fragment))
    kept = "".join(block for key, block in _blocks(base) if key not in replaced)
    if not kept.endswith("\n"):
        kept += "\n"
    return bom + kept + fragment, kept.count("\n") + 1


class Outcome(NamedTuple):
    rule: Rule
    problems: tuple[str, ...]  # empty: the docs hold
    tested: bool = True  # False: the rule has no examples (a Vale rule)


def check_docs(rule: Rule, config: Config, today: dt.date) -> Outcome:
    """Whether the rule's Example triggers it and its Use instead does not, each merged into a clean record
    and checked with the rule alone (in the run's configuration, whose rule set holds it)."""
    from .. import engine, load

    if not rule.docs.example:
        return Outcome(rule, (), tested=False)
    alone = dataclasses.replace(config.rules, enabled=frozenset({rule.code}), per_path_ignores=())
    config = dataclasses.replace(config, rules=alone, max_findings_per_rule=0)
    base = clean_record()
    problems = []
    for label, fragment, wanted in (("Example", rule.docs.example, True), ("Use instead", rule.docs.use_instead,
                                                                           False)):
        text, _ = merge(fragment, base)
        source = load.load_text(text.encode("utf-8"), EXAMPLE_PATH, expected=load.expected_id(Path(EXAMPLE_PATH)))
        if source.record is None:
            problem = source.problems[0].message if source.problems else "it is not a record"
            problems.append(f"{label} does not read as a record merged into a clean one: {problem}")
            continue
        found = [f for f in engine.lint([source], config, engine.Run(today)) if f.code == rule.code]
        if wanted and not found:
            problems.append("Example does not trigger the rule")
        elif not wanted and found:
            problems.append(f"Use instead still triggers the rule: {found[0].message}")
    return Outcome(rule, tuple(problems))
