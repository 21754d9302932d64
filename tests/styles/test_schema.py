"""schemas/style-rule.schema.json is a valid schema, shipped in the package, and says what the docs say."""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from styles_support import DOCS, EXAMPLE
from support import ROOT

from medlint.styles import house

SCHEMA = ROOT / "schemas" / "style-rule.schema.json"


def test_the_schema_is_valid_and_packaged() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text(encoding="utf-8")))
    packaged = resources.files("medlint") / "schemas" / "style-rule.schema.json"
    assert packaged.read_bytes() == SCHEMA.read_bytes()


def test_the_example_record_is_the_tests_clean_record() -> None:
    packaged = resources.files("medlint") / "data" / "example-record.yaml"
    assert packaged.read_bytes() == (ROOT / "tests" / "fixtures" / "base-record.yaml").read_bytes()


@pytest.mark.parametrize("path", sorted((EXAMPLE / "styles").glob("*.yaml")), ids=lambda p: p.name)
def test_the_example_rules_follow_the_schema(path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)


@pytest.mark.parametrize("index", range(5))
def test_the_rules_in_docs_house_rules_compile(index: int, tmp_path: Path) -> None:
    blocks = [block for block in _BLOCK.findall((ROOT / "docs" / "house-rules.md").read_text(encoding="utf-8"))
              if re.search(r"^kind: ", block, re.M)]
    assert len(blocks) == 5
    text = blocks[index] if "\ndocs:" in blocks[index] else blocks[index] + DOCS
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    assert house.compile_file(path).code == "house/example"
