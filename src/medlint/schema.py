"""The packaged record and limits schemas, a validator built once, and validation errors in plain words."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from . import packaged, vocabulary
from .errors import UserError
from .excerpt import quote
from .model import Fix, Hit, Pointer, yaml_path
from .record import Record
from .suggest import did_you_mean

_MAX_REFS = 32  # `$ref`s followed from one node: more means a reference loop


class SchemaError(UserError):
    """The schema itself cannot be used (a config problem: exit 2)."""


def packaged_schema_path(name: str = "record.schema.json") -> Path:
    return packaged.path("schemas", name)


def load_schema(path: Path | None = None) -> dict[str, Any]:
    path = path or packaged_schema_path()
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"cannot read the schema {path}: {exc}") from exc
    _refuse_remote_refs(schema, path)
    return schema  # type: ignore[no-any-return]


def _refuse_remote_refs(node: Any, path: Path) -> None:
    """medlint never touches the network: a `$ref` must point inside the schema."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                raise SchemaError(f"{path}: `$ref: {ref}` points outside the schema; medlint works offline and "
                                  "only follows local references (`#/$defs/...`)")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@functools.lru_cache(maxsize=4)
def validator(path: str = "") -> Any:
    import jsonschema  # deferred: importing it costs ~50 ms, and clean runs may not need it
    from referencing import Registry

    def refuse(uri: str) -> Any:
        raise SchemaError(f"the schema refers to {uri}; medlint works offline and never fetches schemas")

    schema = load_schema(Path(path) if path else None)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    registry: Any = Registry(retrieve=refuse)  # type: ignore[call-arg]  # referencing's stubs omit it
    return cls(schema, format_checker=cls.FORMAT_CHECKER, registry=registry)


def draft7(node: Any) -> Any:
    """The schema in the dialect fastjsonschema compiles: the keywords medlint's schema uses are all
    draft-07 except `dependentRequired`, which draft-07 spells `dependencies`."""
    if isinstance(node, dict):
        out = {("dependencies" if key == "dependentRequired" else key): draft7(value) for key, value in node.items()}
        if "$schema" in out:
            out["$schema"] = "http://json-schema.org/draft-07/schema#"
        return out
    if isinstance(node, list):
        return [draft7(item) for item in node]
    return node


def _is_date(value: str) -> bool:
    """The `date` format as jsonschema checks it: YYYY-MM-DD and a real calendar day."""
    try:
        return len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def _any_uri(value: str) -> bool:
    return True  # as in jsonschema without rfc3987 installed; the schema's `^https?://` pattern decides


FAST_FORMATS: dict[str, Callable[[str], bool]] = {"date": _is_date, "uri": _any_uri}


PRECOMPILED = {"record.schema.json": "_record_validator", "limits.schema.json": "_limits_validator"}
LIMITS = "limits.schema.json"


def _precompiled(name: str = "record.schema.json") -> Callable[[Any], Any] | None:
    """The packaged schema compiled ahead of time (scripts/build_validator.py), if it is current."""
    module = importlib.import_module(f".{PRECOMPILED[name]}", __package__)
    digest = hashlib.sha256(packaged_schema_path(name).read_bytes()).hexdigest()
    if digest != module.SCHEMA_SHA256:
        return None
    validate: Callable[..., Any] = module.validate
    return functools.partial(validate, custom_formats=FAST_FORMATS)


@functools.lru_cache(maxsize=4)
def fast_validator(path: str = "", name: str = "record.schema.json") -> Callable[[Any], bool]:
    """A compiled yes/no validator, ~15x faster than jsonschema. It only decides *whether* to ask
    jsonschema for errors, so a record it rejects wrongly costs time, never a false finding; that it
    never accepts what jsonschema rejects is tested on mutated records (tests/test_schema.py)."""
    import fastjsonschema

    compiled = (_precompiled(name) if not path else None) or fastjsonschema.compile(
        draft7(load_schema(Path(path) if path else packaged_schema_path(name))), formats=FAST_FORMATS)

    def is_valid(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


def check(record: Record, schema_path: str = "") -> Iterator[tuple[str, Hit]]:
    """Validation problems as (kind, hit) pairs, one per problem, named by YAML path. The kinds: `missing`
    (a required field), `unknown` (a field the schema does not have), `type`, `value` (one the schema does not
    allow) and `empty`; the structure rules (ML101-ML105) each report one kind."""
    if not fast_validator(schema_path)(record.data):
        yield from _problems(record, validator(schema_path), "a record")


def problems(record: Record, schema_path: str = "") -> tuple[tuple[str, Hit], ...]:
    """`check`'s problems, validated once per record however many of the structure rules read them."""
    return record.derived(("schema", schema_path), lambda loaded: tuple(check(loaded, schema_path)))


def check_limits(record: Record) -> Iterator[tuple[str, Hit]]:
    """Validation problems of a dose-limit table (schemas/limits.schema.json), as `check` gives them for a
    record; compiled too, since a one-file hook run reads its drug's table and jsonschema alone costs ~50 ms."""
    if not fast_validator(name=LIMITS)(record.data):
        yield from _problems(record, validator(str(packaged_schema_path(LIMITS))), "a limits table")


def _problems(record: Record, v: Any, document: str) -> Iterator[tuple[str, Hit]]:
    # jsonschema raises one `required` error per missing field, each naming the whole `required` list, and
    # two errors for an empty text (minLength and the `\S` pattern): one problem, one finding
    seen: set[tuple[str, Pointer, str]] = set()
    for error in _relevant(v.iter_errors(record.data)):
        for code, hit in _explain(error, v.schema, record, document):
            if (code, hit.pointer, hit.subject) not in seen:
                seen.add((code, hit.pointer, hit.subject))
                yield code, hit


def _relevant(errors: Iterable[Any]) -> list[Any]:
    """The errors worth a finding: none inside a value of the wrong type (`dose: 500 mg` is text where a
    mapping belongs; that it then also lacks `value` or breaks the range's conditions is noise)."""
    errors = list(errors)
    mistyped = [tuple(e.absolute_path) for e in errors if e.validator == "type"]
    return [e for e in errors if e.validator == "type"
            or not any(tuple(e.absolute_path)[: len(p)] == p for p in mistyped)]


def annotated(node: Any, root: Mapping[str, Any]) -> dict[str, Any]:
    """A subschema with its local `$ref`s followed, to read its keywords: the referring node's own (its
    title, its description) win over the target's. A reference loop is followed only so far."""
    merged: dict[str, Any] = {}
    for _ in range(_MAX_REFS):
        if not isinstance(node, dict):
            break
        merged = {**node, **merged}
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        node = root
        for part in ref[2:].split("/"):
            node = node.get(part) if isinstance(node, dict) else None
    merged.pop("$ref", None)
    return merged


def _title(schema: Any, root: dict[str, Any]) -> str:
    """What the schema says the value is: the referring node's own description first, else its target's."""
    node = annotated(schema, root)
    return str(node.get("description") or node.get("title") or "")


def _plain(value: Any) -> str:
    """A schema value (an enum member, a const) as an author would write it in YAML."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return str(value)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"`{quote(value, 40)}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"`{quote(_plain(value), 40)}`"  # never repr: `True` and `None` are Python, not YAML


_TYPES = {"string": "text", "number": "a number", "integer": "a whole number", "object": "a mapping",
          "array": "a list", "boolean": "true or false", "null": "empty"}
_FORMATS = {"date": "date", "uri": "web address", "email": "email address", "date-time": "date and time",
            "time": "time", "uuid": "UUID"}
_QUANTITY = re.compile(r"\s*(?P<value>\d+(?:\.\d+)?(?:e\d+)?)\s*(?P<unit>[^\d\s].*?)\s*")
_RANGE = re.compile(r"\s*(?P<low>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?P<high>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s].*?)\s*")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    for name, kind in (("str", "text"), ("int", "a whole number"), ("float", "a number"), ("dict", "a mapping"),
                       ("list", "a list")):
        if type(value).__name__ == name:
            return kind
    return "empty"


def _as_mapping(value: Any, schema: Any, root: dict[str, Any], key: str) -> str | None:
    """For text where a value-and-unit mapping belongs (`dose: 500 mg`), how to write it."""
    properties = annotated(schema, root).get("properties", {})
    if not isinstance(value, str) or "unit" not in properties:
        return None
    single, span = _QUANTITY.fullmatch(value), _RANGE.fullmatch(value)
    if span and {"low", "high"} <= set(properties):
        return (f"write it as a mapping: `low: {span['low']}`, `high: {span['high']}` and `unit: {span['unit']}`, "
                f"each on its own line under `{key}:`")
    if single and "value" in properties:
        return (f"write it as a mapping: `value: {single['value']}` and `unit: {single['unit']}`, each on its own "
                f"line under `{key}:`")
    return None


def _fix(record: Record | None, pointer: Pointer, value: Any, new: str) -> Fix | None:
    if record is None or not isinstance(value, str):
        return None
    from .rules.fields import replace_fix  # deferred: the rules package imports this module's users

    return replace_fix(record, pointer, 0, len(value), new, f"write `{new}`")


def _reading(keyword: str, expected: Any, value: Any, pointer: Pointer, schema: Any) -> vocabulary.Reading | None:
    """What an out-of-vocabulary value most likely means (medlint.vocabulary), checked against the schema."""
    if not isinstance(value, str):
        return None
    if keyword == "enum" and all(isinstance(item, str) for item in expected):
        return vocabulary.reading(value, expected)
    if keyword == "pattern" and pointer and pointer[-1] == "frequency":
        found = vocabulary.frequency(value)
        if found and re.search(str(expected), found.value):  # only a value the schema itself accepts
            return found
    return None


def _explain(error: Any, root: dict[str, Any], record: Record | None = None,
             document: str = "a record") -> Iterator[tuple[str, Hit]]:
    pointer: Pointer = tuple(error.absolute_path)
    where = yaml_path(pointer)
    keyword, value, expected = error.validator, error.instance, error.validator_value
    if keyword in ("anyOf", "oneOf") and error.context:
        # report the branch that got furthest instead of "is not valid under any of the given schemas"
        import jsonschema

        best = jsonschema.exceptions.best_match(error.context)
        if best is not None and best.validator not in ("anyOf", "oneOf"):
            best.path.extendleft(reversed(list(error.absolute_path)))
            yield from _explain(best, root, record, document)
            return
    if keyword in ("required", "dependentRequired"):
        yield from _missing(error, root, pointer, where)
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(error.schema.get("properties", {}))
        for name in value if isinstance(value, dict) else ():
            if name in allowed:
                continue
            close = did_you_mean(name, allowed)
            hint = close or f"allowed here: {', '.join(allowed)}"
            field = f"{where}.{name}" if pointer else name
            yield "unknown", Hit((*pointer, name), f"`{field}` is not a field of {document}", hint=hint,
                               on_key=True, subject=field)
        return
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        names = " or ".join(_TYPES.get(str(t), "a value of another kind") for t in wanted)
        key = str(pointer[-1]) if pointer else "it"
        shape = _as_mapping(value, error.schema, root, key) if "object" in wanted else None
        yield "type", Hit(pointer, f"`{where}` must be {names}, not {_kind(value)} ({_shown(value)})",
                           hint=shape or _title(error.schema, root) or None, subject=where)
        return
    if keyword in ("minItems", "minLength", "minProperties") or (keyword == "pattern" and expected == r"\S"):
        yield "empty", Hit(pointer, f"`{where}` is empty", hint=_title(error.schema, root) or "fill it in",
                           subject=where)
        return
    about = _title(error.schema, root)
    found = _reading(keyword, expected, value, pointer, error.schema)
    message = _invalid_message(where, keyword, value, expected, error, root)
    fix = _fix(record, pointer, value, found.value) if found and found.certain else None
    if found:
        message += f"; did you mean `{found.value}`?"
    yield "value", Hit(pointer, message, hint=about or None, subject=f"{where}:{keyword}", fix=fix)


def _missing(error: Any, root: dict[str, Any], pointer: Pointer, where: str) -> Iterator[tuple[str, Hit]]:
    """`required` (a field the record must have) and `dependentRequired` (one that another field needs)."""
    value, properties = error.instance, error.schema.get("properties", {})
    if not isinstance(value, dict):
        return
    if error.validator == "required":
        needs = [(name, "") for name in error.validator_value if name not in value]
    else:
        needs = [(name, given) for given, names in error.validator_value.items() if given in value
                 for name in names if name not in value]
    for name, given in needs:
        field = f"{where}.{name}" if pointer else name
        # a conditional (`then`, `else`) names no properties: its own description says why the field is needed
        about = _title(properties.get(name), root) if name in properties else _title(error.schema, root)
        reason = f"`{given}` needs `{name}` beside it" if given else about
        yield "missing", Hit(pointer, f"`{field}` is missing" + (f": {reason}" if reason else ""),
                           hint=f"add `{name}:` here", subject=field)


def _invalid_message(where: str, keyword: str, value: Any, expected: Any, error: Any,
                     root: dict[str, Any]) -> str:
    """What is wrong with the value, in words: never the schema's own syntax (a regular expression, a
    keyword, a Python value)."""
    if keyword == "enum":
        return f"`{where}` is {_shown(value)}; expected one of: {', '.join(map(_plain, expected))}"
    if keyword == "const":
        return f"`{where}` is {_shown(value)}; expected `{_plain(expected)}`"
    if keyword == "format" and expected == "date":
        return f"`{where}` is {_shown(value)}, which is not a real date; write YYYY-MM-DD"
    if keyword == "format":
        return f"`{where}` is {_shown(value)}, which is not a valid {_FORMATS.get(str(expected), 'value here')}"
    if keyword == "pattern":
        return f"`{where}` is {_shown(value)}, which is not in the expected form"
    if keyword == "not":
        banned = annotated(expected, root)
        names = [name for name in banned.get("required", []) if isinstance(value, dict) and name in value]
        if names:
            return f"`{where}` must not have {' or '.join(f'`{name}`' for name in names)} here"
        return f"`{where}` must not be {_title(expected, root).rstrip('.').lower() or 'written this way'}"
    bounds = {"exclusiveMinimum": "more than", "minimum": "at least", "exclusiveMaximum": "less than",
              "maximum": "at most"}
    if keyword in bounds:
        return f"`{where}` is {_shown(value)}; it must be {bounds[keyword]} {_plain(expected)}"
    if keyword == "contains":
        return f"`{where}` lacks an entry it needs: {_title(expected, root) or 'see the record format'}"
    counts = {"maxItems": "entries", "maxLength": "characters", "maxProperties": "fields"}
    if keyword in counts:
        return f"`{where}` has more than {_plain(expected)} {counts[keyword]}"
    if keyword == "uniqueItems":
        return f"`{where}` lists the same entry twice"
    if keyword == "multipleOf":
        return f"`{where}` is {_shown(value)}; it must be a multiple of {_plain(expected)}"
    return f"`{where}` is not valid here" + (f" ({_shown(value)})" if isinstance(value, (str, int, float)) else "")
