"""Every repository path a reader is sent to exists: in the rules' References (`medlint explain`), the
schemas' descriptions, the README and the docs' links. A reader who follows one finds the file."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT

from medlint import rules
from medlint.rules.base import Rule

_FOLDERS = ("docs", "schemas", "src", "tests", "scripts", "bench", ".github", ".ci")
# a Markdown file named anywhere, or anything below one of the repository's own folders; not in a URL
_PATH = re.compile(r"(?<![\w/.:-])((?:[\w.-]+/)*[\w.-]+\.md\b|(?:" + "|".join(map(re.escape, _FOLDERS))
                   + r")/[\w./-]*)")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def named_paths(text: str) -> list[str]:
    return [match.rstrip(".") for match in _PATH.findall(text)]


def _descriptions(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield value
            yield from _descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _descriptions(item)


def _missing(paths: list[str], base: Path = ROOT) -> list[str]:
    return [path for path in paths if not (base / path).exists()]


def test_the_pattern_finds_paths_and_leaves_addresses_alone() -> None:
    assert named_paths("See docs/record-format.md. Also `tests/rules/cases/<CODE>.yaml` and record-format.md: x") \
        == ["docs/record-format.md", "tests/rules/cases/", "record-format.md"]
    assert named_paths("https://host/docs/a.md and http://x/README.md") == []


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: rule.code)
def test_rule_references_name_existing_files(rule: Rule) -> None:
    assert _missing([path for reference in rule.docs.references for path in named_paths(reference)]) == []


@pytest.mark.parametrize("name", ["record.schema.json", "findings.schema.json"])
def test_schema_descriptions_name_existing_files(name: str) -> None:
    document = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    assert _missing([path for text in _descriptions(document) for path in named_paths(text)]) == []


def test_readme_names_existing_files() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = named_paths(text)
    assert "docs/record-format.md" in named
    assert _missing(named) == []


@pytest.mark.parametrize("doc", [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"],
                         ids=lambda path: path.name)
def test_relative_links_lead_to_existing_files(doc: Path) -> None:
    links = [link.split("#")[0] for link in _LINK.findall(doc.read_text(encoding="utf-8"))
             if "://" not in link and not link.startswith(("#", "mailto:"))]
    assert _missing(links, doc.parent) == []
