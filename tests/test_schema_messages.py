"""Every schema finding is in plain words: over the whole record schema, a record breaking each keyword it
uses, at every place it is used, gets findings whose message and hint hold no Python value, no JSON Schema
keyword or phrase and no regular expression. Values with one reading are fixed; others only suggested."""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from support import BASE, ROOT, lint_text, source

from medlint import frequency, schema, vocabulary

SCHEMA = json.loads((ROOT / "schemas" / "record.schema.json").read_text(encoding="utf-8"))
LIMITS_SCHEMA = json.loads((ROOT / "schemas" / "limits.schema.json").read_text(encoding="utf-8"))
ANNOTATIONS = {"$schema", "$id", "$defs", "$ref", "title", "description", "examples", "properties", "items",
               "default", "$comment"}
# what raw validator output looks like: Python reprs, jsonschema's sentences, keywords, regular expressions
RAW = re.compile("|".join([
    r"\{'", r"\['", r"'\]", r"'\}", r"\bNone\b", r"\bTrue\b", r"\bFalse\b",
    r"is not valid under", r"should not be valid", r"is a dependency of", r"is a required property",
    r"is not of type", r"does not match", r"[Aa]dditional properties", r"is too (?:short|long)",
    r"is not one of", r"was expected", r"Failed validating", r"less than or equal", r"should be non-empty",
    r"\b(?:minItems|minLength|minProperties|maxItems|maxLength|dependentRequired|additionalProperties|"
    r"exclusiveMinimum|exclusiveMaximum|anyOf|oneOf|allOf|uniqueItems|multipleOf|propertyNames)\b",
    r"\$ref", r"#/", r"\$defs", r"\(\?:", r"\\S", r"\[0-9\]", r"\[a-z", r"\^\(", r"\)\$",
]))


def _keywords(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        found |= set(node) - ANNOTATIONS
        for key, value in node.items():
            if key in ("properties", "$defs"):  # names, then subschemas
                for sub in value.values():
                    found |= _keywords(sub)
            elif key not in ("enum", "const", "required", "examples", "dependentRequired", "if"):
                # (an `if` is a condition: its keywords decide between `then` and `else`, never fail)
                found |= _keywords(value)
    elif isinstance(node, list):
        for item in node:
            found |= _keywords(item)
    return found


def _resolve(node: Any, root: dict[str, Any] = SCHEMA) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


class Document(NamedTuple):
    """A schema, a clean file it governs (as data) and where such a file lives."""

    schema: dict[str, Any]
    data: dict[str, Any]
    path: str


def _record() -> Document:
    record = source(BASE).record
    assert record is not None
    return Document(SCHEMA, record.data, "records/zolgensma/spinal-muscular-atrophy.yaml")


def _table() -> Document:
    """A shipped dose-limit table, with the optional parts no shipped table has all of."""
    table = source((ROOT / "limits" / "amoxicillin.yaml").read_text(encoding="utf-8"), "limits/amoxicillin.yaml")
    assert table.record is not None
    data = copy.deepcopy(table.record.data)
    data["limits"][0] |= {"concentration": {"value": 400, "unit": "mg", "volume": 5}, "indications": ["otitis"]}
    return Document(LIMITS_SCHEMA, data, "limits/amoxicillin.yaml")


DOCUMENTS = {"record": _record(), "limits table": _table()}


def _places(data: Any, node: dict[str, Any], root: dict[str, Any], pointer: tuple[Any, ...] = ()
            ) -> Iterator[tuple[tuple[Any, ...], Any, dict[str, Any]]]:
    """Every value of the clean document with the subschema that governs it."""
    node = _resolve(node, root)
    yield pointer, data, node
    if isinstance(data, dict):
        for key, value in data.items():
            if key in node.get("properties", {}):
                yield from _places(value, node["properties"][key], root, (*pointer, key))
    elif isinstance(data, list) and "items" in node:
        for index, value in enumerate(data):
            yield from _places(value, node["items"], root, (*pointer, index))


def _breakers(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Iterator[Any]:
    """Values that break each keyword of `node` in place of `value` (`...` deletes it)."""
    kind = node.get("type")
    if kind:
        yield {"object": "some text", "array": "some text", "string": 5, "number": "ten", "integer": "1",
               "boolean": "yes"}[kind]
    if kind == "string":
        yield ["a", "list"]
    if "enum" in node:
        yield from ("not-a-value", "IV", "Adults", "label", "intravenus", "in")
    if "const" in node:
        yield "something else" if isinstance(node["const"], str) else 2
    if "pattern" in node:
        yield from ("!!! not it", "   ", "Twice A Day", "qd", "every six hours as needed")
    if node.get("format") == "date":
        yield "2026-02-30"
    if "minLength" in node:
        yield ""
    if "minItems" in node:
        yield []
    if "minProperties" in node:
        yield {}
    if "exclusiveMinimum" in node:
        yield from (0, -1)
    if isinstance(value, dict):
        for name in node.get("required", []):
            yield {k: v for k, v in value.items() if k != name}
        if node.get("additionalProperties") is False:
            yield {**value, "extra_field": 1}
        for given, needs in node.get("dependentRequired", {}).items():
            yield {**{k: v for k, v in value.items() if k not in needs and k != "value"}, given: 5}
        if "if" in node:  # the conditional: its `then` broken (adding what `not` forbids), and its `else`
            condition = _resolve(node["if"], root)
            consts = {k: _resolve(v, root)["const"] for k, v in condition.get("properties", {}).items()
                      if "const" in _resolve(v, root)}
            then = _resolve(node.get("then", {}), root)
            yield {k: v for k, v in {**value, **consts}.items() if k not in then.get("required", [])}
            if "not" in then:
                yield {**value, "low": 1, "high": 2,
                       **{k: 1 for k in _resolve(then["not"], root).get("required", [])}}
            if "else" in node:
                yield {k: v for k, v in value.items() if k not in _resolve(node["else"], root).get("required", [])}
    if isinstance(value, list) and "contains" in node:
        yield [{**item, "kind": "other"} if isinstance(item, dict) else item for item in value]


def _broken(document: Document) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for pointer, value, node in _places(document.data, document.schema, document.schema):
        for replacement in _breakers(value, node, document.schema):
            data = copy.deepcopy(document.data)
            if not pointer:
                out.append(("(document)", replacement))
                continue
            parent = data
            for part in pointer[:-1]:
                parent = parent[part]
            parent[pointer[-1]] = replacement
            out.append(("/".join(map(str, pointer)), data))
    return out


BROKEN = {name: _broken(document) for name, document in DOCUMENTS.items()}


def _validator(name: str) -> Any:
    return schema.validator() if name == "record" else schema.validator(str(schema.packaged_schema_path(schema.LIMITS)))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_clean_documents_are_valid(name: str) -> None:
    assert list(_validator(name).iter_errors(DOCUMENTS[name].data)) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_mutations_break_every_keyword_the_schema_uses(name: str) -> None:
    """So that a keyword added to a schema without a way to break it here fails this test."""
    validator = _validator(name)
    broken: set[str] = set()

    def note(errors: Any) -> None:
        for error in errors:
            broken.add(str(error.validator))
            note(error.context or [])

    for _, data in BROKEN[name]:
        note(validator.iter_errors(data))
    uses = _keywords(DOCUMENTS[name].schema)
    # `if`, `then` and `else` fail as their subschemas' keywords: what breaks them is shown by those errors
    assert uses - {"if", "then", "else"} <= broken, sorted(uses - broken)
    assert {"required", "enum", "const", "pattern", "format", "type", "minItems", "minLength", "minProperties",
            "additionalProperties", "exclusiveMinimum"} <= uses
    if name == "record":
        assert {"dependentRequired", "not", "contains"} <= uses


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_no_finding_shows_python_or_json_schema_syntax(name: str) -> None:
    raw: list[str] = []
    seen = 0
    for where, data in BROKEN[name]:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        for finding in lint_text(text, path=DOCUMENTS[name].path):
            if finding.code.startswith("ML10"):
                seen += 1
                for said in (finding.message, finding.hint or ""):
                    if RAW.search(said):
                        raw.append(f"{where}: {finding.code} {said}")
    assert seen > len(BROKEN[name]) // 2
    assert raw == []


@pytest.mark.parametrize("keyword_schema", [
    {"type": "array", "maxItems": 1}, {"type": "string", "maxLength": 1}, {"type": "number", "maximum": 1},
    {"type": "number", "exclusiveMaximum": 1}, {"type": "array", "uniqueItems": True},
    {"type": "number", "multipleOf": 7}, {"oneOf": [{"type": "string"}, {"type": "array"}]},
    {"allOf": [{"type": "number"}, {"minimum": 100}]}, {"not": {"type": "number"}}, {"const": True},
    {"enum": [None, True, 1]}, {"format": "email"}, {"type": "object", "propertyNames": {"pattern": "^x"}},
    {"type": "object", "maxProperties": 0},
])
def test_a_custom_schema_is_explained_in_words_too(tmp_path: Path, keyword_schema: dict[str, Any]) -> None:
    """A team's own schema (`schema` in the config) may use keywords the packaged one does not."""
    custom = tmp_path / "custom.schema.json"
    custom.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                  "properties": {"probe": keyword_schema}}), encoding="utf-8")
    value: object = {"type": "object"}.get(str(keyword_schema.get("type")), [5, 5])
    if keyword_schema.get("type") in ("string",):
        value = "too long"
    if keyword_schema.get("type") == "number" or {"multipleOf", "oneOf", "not"} & set(keyword_schema):
        value = 50
    if keyword_schema.get("type") == "object":
        value = {"yy": 1}
    if "format" in keyword_schema:
        value = "not an address"
    record = source(f"probe: {json.dumps(value)}\n").record
    assert record is not None
    found = list(schema.check(record, str(custom)))
    assert found, keyword_schema
    for _, hit in found:
        assert not RAW.search(hit.message) and not RAW.search(hit.hint or ""), hit.message
        assert "probe" in hit.message


# --- what was probably meant --------------------------------------------------------------------------

def _ml104(text: str) -> list[Any]:
    return [f for f in lint_text(text) if f.code == "ML104"]


@pytest.mark.parametrize(("old", "new", "meant", "fixed"), [
    ("route: intravenous", "route: IV", "intravenous", True),
    ("route: intravenous", "route: Intravenous", "intravenous", True),
    ("route: intravenous", "route: SQ", "subcutaneous", True),
    ("route: intravenous", "route: IN", "intranasal", False),  # or a misread IM or IV
    ("route: intravenous", "route: intravenus", "intravenous", False),  # a typo's closest match
    ("frequency: once", "frequency: 2 times a day", "twice daily", True),
    ("frequency: once", "frequency: 3 times per day", "three times daily", True),
    ("frequency: once", "frequency: Twice Daily", "twice daily", True),
    ("frequency: once", "frequency: every six hrs", "every 6 hours", True),
    ("frequency: once", "frequency: every 4-6 hours as required", "every 4 to 6 hours as needed", True),
    ("frequency: once", "frequency: every other week", "every 2 weeks", True),
    ("frequency: once", "frequency: every 4-6 hours prn", "every 4 to 6 hours as needed", False),
    ("frequency: once", "frequency: qd", "once daily", False),  # ISMP: read as qid too
    ("frequency: once", "frequency: q6h", "every 6 hours", False),
    ("kind: prescribing-information", "kind: prescribing information", "prescribing-information", True),
    ("kind: prescribing-information", "kind: label", "prescribing-information", False),
    ("population: pediatric\n  age", "population: paediatric\n  age", "pediatric", True),
])
def test_did_you_mean_and_a_fix_only_where_certain(old: str, new: str, meant: str, fixed: bool) -> None:
    assert old in BASE
    found = [f for f in _ml104(BASE.replace(old, new, 1)) if "did you mean" in f.message]
    assert len(found) == 1 and found[0].message.endswith(f"did you mean `{meant}`?")
    assert (found[0].fix is not None and found[0].fix.safe) is fixed


def test_no_suggestion_when_nothing_is_close() -> None:
    found = _ml104(BASE.replace("route: intravenous", "route: zzzzqqq"))
    assert len(found) == 1 and "did you mean" not in found[0].message and found[0].fix is None


def test_a_frequency_the_house_vocabulary_cannot_say_is_not_rewritten() -> None:
    """Seven times a day is not every 3.4 hours, 1.5 hours is not 15: nothing outside the vocabulary is guessed."""
    for wording in ("seven times a day", "every 1.5 hours", "every 90 minutes", "every 0 hours", "at bedtime",
                    "once as needed"):
        found = _ml104(BASE.replace("frequency: once", f"frequency: {wording}", 1))
        assert len(found) == 1 and "did you mean" not in found[0].message and found[0].fix is None, wording


@pytest.mark.parametrize("wording", [
    "2 times a day", "2x daily", "3 times per day", "5 times a day", "1x weekly", "2 times a week", "Once",
    "every six hours", "every 6 hrs", "every 12 h", "every 1 hour", "every 2 wks", "every 3 mos", "every 4-6 hours",
    "every four to six hours as needed", "every 8 hours if needed", "each day", "each week", "every other month",
    "one time", "qd", "bid", "t.i.d.", "q6h", "q4-6h", "prn", "every 6 hours prn",
])
def test_a_frequency_rewrite_keeps_the_doses_a_day(wording: str) -> None:
    """What medlint.frequency reads in the rewrite is what it reads in the original, wherever it reads that;
    and the rewrite is in the house vocabulary the schema admits."""
    found = vocabulary.frequency(wording)
    assert found is not None
    pattern = schema.load_schema()["$defs"]["doseEntry"]["properties"]["frequency"]["pattern"]
    assert re.fullmatch(pattern, found.value), found
    assert frequency.parse(wording) in (None, frequency.parse(found.value))


def test_a_dose_written_as_text_gets_the_mapping_it_should_be() -> None:
    dosing = BASE.replace("    dose:\n      value: 1.1e14\n      unit: vector genomes/kg\n", "    dose: 500 mg\n")
    found = [f for f in lint_text(dosing) if f.code.startswith("ML10")]
    assert [(f.code, f.hint) for f in found] == [
        ("ML103", "write it as a mapping: `value: 500` and `unit: mg`, each on its own line under `dose:`")]
    ranged = BASE.replace("    dose:\n      value: 1.1e14\n      unit: vector genomes/kg\n", "    dose: 5-10 mg\n")
    assert "`low: 5`, `high: 10` and `unit: mg`" in (next(f for f in lint_text(ranged) if f.code == "ML103").hint
                                                    or "")


def test_a_range_with_one_end_names_the_missing_end() -> None:
    found = [f for f in lint_text(BASE.replace("      value: 1.1e14\n", "      low: 500\n"))
             if f.code.startswith("ML10")]
    assert [(f.code, f.message) for f in found] == [("ML101", "`dosing[0].dose.high` is missing: `low` needs "
                                                              "`high` beside it")]


def test_a_missing_field_says_what_it_is_where_its_schema_is_a_reference() -> None:
    """`label` and a table entry's `source` are `$ref`s to plain text: their own descriptions explain them."""
    found = [f for f in lint_text(BASE.replace("label: ", "lbl: ", 1)) if f.code == "ML101"]
    assert [f.message for f in found] == ["`dosing[0].label` is missing: The label shown on the page, for example "
                                          "Adult dose or Pediatric dose (15 kg to under 30 kg). It must agree with "
                                          "population."]
    table = (ROOT / "limits" / "amoxicillin.yaml").read_text(encoding="utf-8").replace("    source: ", "    sourc: ", 1)
    found = [f for f in lint_text(table, path="limits/amoxicillin.yaml") if f.code == "ML101"]
    assert [f.message for f in found] == ["`limits[0].source` is missing: Where the limits come from: the label and "
                                          "its section, for example AMOXIL label, 2.2 Dosage for adults."]
