"""The packaged record and limits schemas, a validator built once, and validation errors in plain words."""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import importlib
import json
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .excerpt import quote
from .load import Record
from .model import Hit, Pointer, yaml_path

_MAX_REFS = 32  # `$ref`s followed from one node: more means a reference loop


class SchemaError(Exception):
    """The schema itself cannot be used (a config problem: exit 2)."""


def packaged_schema_path(name: str = "record.schema.json") -> Path:
    return Path(str(resources.files("medlint") / "schemas" / name))


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
    """Validation problems as (code, hit) pairs, one per problem, named by YAML path."""
    if not fast_validator(schema_path)(record.data):
        yield from _problems(record.data, validator(schema_path), "a record")


def check_limits(record: Record) -> Iterator[tuple[str, Hit]]:
    """Validation problems of a dose-limit table (schemas/limits.schema.json), as `check` gives them for a
    record; compiled too, since a one-file hook run reads its drug's table and jsonschema alone costs ~50 ms."""
    if not fast_validator(name=LIMITS)(record.data):
        yield from _problems(record.data, validator(str(packaged_schema_path(LIMITS))), "a limits table")


def _problems(data: Any, v: Any, document: str) -> Iterator[tuple[str, Hit]]:
    # jsonschema raises one `required` error per missing field, each naming the whole `required` list, and
    # two errors for an empty text (minLength and the `\S` pattern): one problem, one finding
    seen: set[tuple[str, Pointer, str]] = set()
    for error in v.iter_errors(data):
        for code, hit in _explain(error, v.schema, document):
            if (code, hit.pointer, hit.subject) not in seen:
                seen.add((code, hit.pointer, hit.subject))
                yield code, hit


def _resolve(schema: Any, root: dict[str, Any]) -> Any:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        for part in schema["$ref"][2:].split("/"):
            schema = schema.get(part, {}) if isinstance(schema, dict) else {}
        schema = schema if schema else {}
        if schema is root:
            break
    return schema


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
    schema = _resolve(schema, root)
    if isinstance(schema, dict):
        return str(schema.get("description") or schema.get("title") or "")
    return ""


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"`{quote(value, 40)}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"`{quote(repr(value), 40)}`"


_TYPES = {"string": "text", "number": "a number", "integer": "a whole number", "object": "a mapping",
          "array": "a list", "boolean": "true or false", "null": "empty"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    for name, kind in (("str", "text"), ("int", "a whole number"), ("float", "a number"), ("dict", "a mapping"),
                       ("list", "a list")):
        if type(value).__name__ == name:
            return kind
    return "empty"


def _explain(error: Any, root: dict[str, Any], document: str = "a record") -> Iterator[tuple[str, Hit]]:
    pointer: Pointer = tuple(error.absolute_path)
    where = yaml_path(pointer)
    keyword, value, expected = error.validator, error.instance, error.validator_value
    if keyword in ("anyOf", "oneOf") and error.context:
        # report the branch that got furthest instead of "is not valid under any of the given schemas"
        import jsonschema

        best = jsonschema.exceptions.best_match(error.context)
        if best is not None and best.validator not in ("anyOf", "oneOf"):
            best.path.extendleft(reversed(list(error.absolute_path)))
            yield from _explain(best, root, document)
            return
    if keyword == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                field = f"{where}.{name}" if pointer else name
                about = _title(error.schema.get("properties", {}).get(name), root)
                yield "ML101", Hit(pointer, f"`{field}` is missing" + (f": {about}" if about else ""),
                                   hint=f"add `{name}:` here", subject=field)
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(error.schema.get("properties", {}))
        for name in value if isinstance(value, dict) else ():
            if name in allowed:
                continue
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"allowed here: {', '.join(allowed)}"
            field = f"{where}.{name}" if pointer else name
            yield "ML102", Hit((*pointer, name), f"`{field}` is not a field of {document}", hint=hint,
                               on_key=True, subject=field)
        return
    if keyword == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        names = " or ".join(_TYPES.get(str(t), str(t)) for t in wanted)
        yield "ML103", Hit(pointer, f"`{where}` must be {names}, not {_kind(value)} ({_shown(value)})",
                           hint=_title(error.schema, root) or None, subject=where)
        return
    if keyword in ("minItems", "minLength", "minProperties") or (keyword == "pattern" and expected == r"\S"):
        yield "ML105", Hit(pointer, f"`{where}` is empty", hint=_title(error.schema, root) or "fill it in",
                           subject=where)
        return
    yield "ML104", Hit(pointer, _invalid_message(where, keyword, value, expected, error, root),
                       hint=_title(error.schema, root) or None, subject=f"{where}:{keyword}")


def _invalid_message(where: str, keyword: str, value: Any, expected: Any, error: Any,
                     root: dict[str, Any]) -> str:
    if keyword == "enum":
        return f"`{where}` is {_shown(value)}; expected one of: {', '.join(map(str, expected))}"
    if keyword == "const":
        return f"`{where}` is {_shown(value)}; expected `{expected}`"
    if keyword == "format" and expected == "date":
        return f"`{where}` is {_shown(value)}, which is not a real date; write YYYY-MM-DD"
    if keyword == "format":
        return f"`{where}` is {_shown(value)}, which is not a valid {expected}"
    if keyword == "pattern":
        return f"`{where}` is {_shown(value)}, which is not in the expected form"
    if keyword in ("exclusiveMinimum", "minimum"):
        return f"`{where}` is {_shown(value)}; it must be more than {expected}" if keyword == "exclusiveMinimum" \
            else f"`{where}` is {_shown(value)}; it must be at least {expected}"
    if keyword == "contains":
        return f"`{where}` has no entry that matches: {_title(expected, root) or 'see the docs'}"
    if keyword in ("maxItems", "maxLength", "maximum"):
        return f"`{where}` is too large ({keyword} {expected})"
    return f"`{where}`: {error.message}"
