"""docs/record-format.md, the record contract for authors, says what the schema and the unit table say,
and its examples are records medlint finds nothing wrong with."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from support import ROOT, lint_text, merge

from medlint import frequency, units

DOC = (ROOT / "docs" / "record-format.md").read_text(encoding="utf-8")
SCHEMA: dict[str, Any] = json.loads((ROOT / "schemas" / "record.schema.json").read_text(encoding="utf-8"))
EXAMPLES = re.findall(r"```yaml\n(.*?)```", DOC, re.DOTALL)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = {**SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")],
                **{key: value for key, value in node.items() if key != "$ref"}}
    return node


def _fields(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(path as the doc writes it, resolved schema, required in its parent) for every field."""
    node = _resolve(node)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        node = _resolve(node["items"])
        prefix += "[]"
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, _resolve(sub), name in node.get("required", [])
        yield from _fields(sub, path)


def _section(title: str) -> str:
    return DOC.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


FIELDS = {path: (schema, required) for path, schema, required in _fields(SCHEMA)}
ROWS = {match.group(1): match.group(0)
        for match in re.finditer(r"^\| `([a-z_.\[\]]+)` \|.*$", _section("Fields"), re.MULTILINE)}


def _cells(path: str) -> list[str]:
    return [cell.strip() for cell in ROWS[path].strip("|").split(" | ")]


def test_every_field_of_the_schema_has_a_row_and_every_row_is_a_field() -> None:
    assert sorted(FIELDS) == sorted(ROWS)


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_required_says_what_the_schema_says(path: str) -> None:
    required = _cells(path)[1]
    conditional = {"indication.age_range": "when `population` is `pediatric`",
                   "dosing[].dose.value": "for one dose", "dosing[].dose.low": "for a range",
                   "dosing[].dose.high": "for a range"}
    assert required == conditional.get(path, "yes" if FIELDS[path][1] else "no")


@pytest.mark.parametrize("path", [path for path, (schema, _) in FIELDS.items() if "enum" in schema])
def test_allowed_values_are_the_schema_enum(path: str) -> None:
    assert re.findall(r"`([^`]+)`", _cells(path)[2]) == FIELDS[path][0]["enum"]


def test_every_frequency_form_matches_the_schema() -> None:
    forms = re.findall(r"`([^`]+)`", _cells("dosing[].frequency")[2])
    pattern = re.compile(FIELDS["dosing[].frequency"][0]["pattern"])
    assert len(forms) == 20 and all(pattern.match(form.replace(" N ", " 4 ").replace(" M ", " 6 ")) for form in forms)
    assert all(frequency.parse(form.replace(" N ", " 4 ").replace(" M ", " 6 ")) for form in forms)


def test_the_complete_example_is_a_record_with_no_findings() -> None:
    complete = [text for text in EXAMPLES if text.startswith("schema_version:")]
    assert len(complete) == 1
    record_id = re.search(r"^id: (\S+)", complete[0], re.MULTILINE)
    assert record_id is not None
    findings = lint_text(complete[0], f"records/{record_id.group(1)}.yaml")
    assert [f"{f.line}: {f.code} {f.message}" for f in findings] == []


@pytest.mark.parametrize("fragment", [text for text in EXAMPLES if not text.startswith("schema_version:")])
def test_each_fragment_fits_a_record_with_no_findings(fragment: str) -> None:
    text, _ = merge(fragment)
    assert [f"{f.line}: {f.code} {f.message}" for f in lint_text(text)] == []


def test_the_unit_vocabulary_is_the_unit_table() -> None:
    units_section = _section("Dose units")
    listed = re.search(r"- amount: (.*?);\n- per body measure: (.*?);\n- per time: (.*?)\.\n", units_section, re.DOTALL)
    assert listed is not None
    amounts, bodies, times = (re.findall(r"`/?([^`]+)`", group) for group in listed.groups())
    assert (amounts, bodies, times) == (list(units.AMOUNTS), list(units.PER_BODY), list(units.PER_TIME))
    ucum = dict(re.findall(r"^\| `([^`]+)` \| `([^`]+)`", units_section, re.MULTILINE))
    assert ucum == {name: amount.ucum for name, amount in units.AMOUNTS.items()}
    codes = re.search(r"are `(/d)`, `(/h)`,\n`(/min)`, `(/wk)` and `(/\{dose\})`", units_section)
    assert codes is not None and [code[1:] for code in codes.groups()] == list(units.PER_TIME.values())
    for example in re.findall(r"`([^`]+)`", units_section.split("For example ", 1)[1].split(".\n", 1)[0]):
        assert units.parse(example) is not None, example


def test_the_error_prone_table_is_the_unit_table() -> None:
    rows = re.findall(r"^\| (`[^|]+`) \| [^|]+ \| `([^`]+)` \|$", _section("Dose units"), re.MULTILINE)
    written = {spelling: house for spellings, house in rows for spelling in re.findall(r"`([^`]+)`", spellings)}
    assert written == units.ERROR_PRONE
