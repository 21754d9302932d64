"""Schema violations become findings in plain words, one per problem, named by YAML path."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from support import BASE, ROOT, lint_text, merge

from medlint import frequency, schema, units


def _schema_findings(fragment: str) -> list[tuple[str, int, str]]:
    text, offset = merge(fragment)
    return [(f.code, f.line - offset + 1, f.message) for f in lint_text(text) if f.code.startswith("ML10")]


def test_packaged_schema_is_the_repository_schema() -> None:
    assert schema.packaged_schema_path().read_bytes() == (ROOT / "schemas" / "record.schema.json").read_bytes()


def test_every_property_has_a_title_and_description() -> None:
    document = json.loads((ROOT / "schemas" / "record.schema.json").read_text(encoding="utf-8"))
    missing: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "$ref" not in sub and not ({"title", "description"} <= set(sub)):
                    missing.append(f"{where}/{name}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(document, "")
    assert missing == []


def test_missing_field_names_the_yaml_path() -> None:
    found = _schema_findings("review:\n  next_review_due: 2027-03-02\n"
                             "  reviewers:\n    - name: A\n      credentials: MD\n")
    assert [(code, line) for code, line, _ in found] == [("ML101", 2)]
    assert "`review.last_reviewed` is missing" in found[0][2]


def test_unknown_key_points_at_the_key_with_a_suggestion() -> None:
    text, offset = merge("drug:\n  brand_name: Zolgensma\n  generic_nme: x\n"
                         "  generic_name: onasemnogene abeparvovec-xioi\n  drug_class: AAV9-based gene therapy\n")
    found = [f for f in lint_text(text) if f.code == "ML102"]
    assert len(found) == 1 and found[0].line - offset + 1 == 3 and found[0].column == 3
    assert "`drug.generic_nme`" in found[0].message and "generic_name" in (found[0].hint or "")


def test_wrong_type_says_what_was_expected() -> None:
    dosing = BASE[BASE.index("dosing:"):BASE.index("warnings:")].replace("value: 1.1e14", "value: '1.1e14'")
    found = _schema_findings(dosing)
    assert [(c, m) for c, _, m in found] == [("ML103", "`dosing[0].dose.value` must be a number, not text (`1.1e14`)")]


@pytest.mark.parametrize(("fragment", "words"), [
    ("language: English\n", "`language`"),
    ("review:\n  last_reviewed: 2026-02-30\n  next_review_due: 2027-03-02\n"
     "  reviewers:\n    - name: A\n      credentials: MD\n", "not a real date"),
])
def test_invalid_values(fragment: str, words: str) -> None:
    found = _schema_findings(fragment)
    assert len(found) == 1 and found[0][0] == "ML104" and words in found[0][2]


def test_empty_section() -> None:
    found = _schema_findings("summary: '   '\n")
    assert [(c, line) for c, line, _ in found] == [("ML105", 1)]


@pytest.mark.parametrize("ref", ["https://schemas.invalid/x.json", "other.schema.json#/$defs/text",
                                 "urn:medlint:schema:other:1"])
def test_remote_ref_is_refused(tmp_path: Path, ref: str) -> None:
    custom = tmp_path / "s.json"
    custom.write_text(json.dumps({"$id": "https://schemas.invalid/s.json", "$ref": ref}), encoding="utf-8")
    with pytest.raises(schema.SchemaError, match="offline"):
        schema.load_schema(custom)


@pytest.mark.parametrize("name", ["record.schema.json", "findings.schema.json"])
def test_schema_ids_do_not_pretend_to_be_addresses(name: str) -> None:
    """An editor follows an http(s) `$id`; these schemas are published nowhere, so their ids are URNs."""
    document = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    assert document["$id"].startswith("urn:medlint:schema:")


def test_local_refs_resolve_under_a_urn_id_without_fetching(tmp_path: Path) -> None:
    custom = tmp_path / "s.json"
    custom.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                                  "$id": "urn:medlint:schema:custom:1", "$ref": "#/$defs/record",
                                  "$defs": {"record": {"type": "object", "required": ["id"]}}}), encoding="utf-8")
    errors = list(schema.validator(str(custom)).iter_errors({}))
    assert [error.message for error in errors] == ["'id' is a required property"]
    assert schema.fast_validator(str(custom))({"id": "x"}) and not schema.fast_validator(str(custom))({})


# --- the compiled fast path must never accept what jsonschema rejects ------------------------------

def _base_data() -> object:
    from support import source

    record = source(BASE).record
    assert record is not None
    return record.data


_REPLACEMENTS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**15), st.floats(allow_nan=False),
                          st.sampled_from(["", " ", "x", "2026-02-30", "2026-03-02", "once", "adult", "IV", "mg",
                                           "https://x.org", "javascript:alert(1)", "1 years", "2 years"]),
                          st.just([]), st.just({}))


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_validator_agrees_with_jsonschema(data: st.DataObject) -> None:
    import copy

    document = copy.deepcopy(_base_data())
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = data.draw(st.sampled_from(paths))
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "route", "from", "under", "value", "low"]))] = \
                data.draw(_REPLACEMENTS)
        else:
            parent[path[-1]] = data.draw(_REPLACEMENTS)
    assert schema.fast_validator()(document) == schema.validator().is_valid(document)


@pytest.mark.parametrize("name", sorted(schema.PRECOMPILED))
def test_precompiled_validator_is_current_and_used(name: str) -> None:
    import importlib

    module = importlib.import_module(f"medlint.{schema.PRECOMPILED[name]}")
    current = hashlib.sha256((ROOT / "schemas" / name).read_bytes()).hexdigest()
    assert current == module.SCHEMA_SHA256, "run: python scripts/build_validator.py"
    assert schema._precompiled(name) is not None


def test_each_missing_field_is_reported_once() -> None:
    """jsonschema raises one `required` error per missing field, each carrying the whole list."""
    text = BASE.replace("schema_version: 1\n", "").replace("language: en\n", "")
    text = text[:text.index("review:")] + text[text.index("sources:"):]
    found = [f.message for f in lint_text(text) if f.code == "ML101"]
    assert sorted(found) == sorted(set(found)) and len(found) == 3


def _with_examples(node: object, path: str = "") -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        if "examples" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _with_examples(value, f"{path}/{key}")
    return found


def test_every_example_is_a_value_the_checker_accepts() -> None:
    """`examples` are what editors offer as completions (yaml-language-server, `medlint lsp`): each must
    pass the schema and the rule that reads the field (the house units, the frequency vocabulary)."""
    root = schema.load_schema()
    places = _with_examples(root)
    assert {path.rsplit("/", 1)[-1] for path, _ in places} == {"unit", "frequency"}
    for path, node in places:
        validator = jsonschema.Draft202012Validator({**node, "$defs": root["$defs"]})
        for value in node["examples"]:  # type: ignore[attr-defined]
            assert validator.is_valid(value), (path, value)
            if path.endswith("unit"):
                assert units.parse(value) is not None, value
            else:
                assert frequency.parse(value) is not None, value


def test_annotated_follows_references_and_keeps_the_referring_title() -> None:
    root = schema.load_schema()
    brand = schema.annotated(root["properties"]["drug"]["properties"]["brand_name"], root)
    assert brand["title"] == "Brand name" and brand["type"] == "string" and "$ref" not in brand
    looping = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a", "title": "B"}}}
    assert schema.annotated({"$ref": "#/$defs/a"}, looping) == {"title": "B"}
    assert schema.annotated({"$ref": "#/$defs/missing", "title": "T"}, root) == {"title": "T"}
