"""Rule files as data with positions: each mistake in one is a StyleError naming the file, line and column."""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .. import packaged
from ..config import ConfigError
from ..model import Pointer, yaml_path

MAX_RULE_BYTES = 1_000_000  # a rule file is a page of words; anything larger is not one


class StyleError(ConfigError):
    """A rule file the user must correct: one clear message, exit code 2 (as a configuration error)."""


class Located(NamedTuple):
    """A rule file's data, and where each value and each mapping key starts (1-based line and column)."""

    path: Path
    data: Any
    values: dict[Pointer, tuple[int, int]]
    keys: dict[Pointer, tuple[int, int]]

    def at(self, pointer: Pointer, key: bool = False) -> str:
        """`path:line:column` of the value at `pointer` (or of its key), else of its nearest ancestor."""
        table = self.keys if key and pointer in self.keys else self.values
        while pointer not in table and pointer:
            pointer = pointer[:-1]
        line, column = table.get(pointer, (1, 1))
        return f"{self.path}:{line}:{column}"

    def error(self, pointer: Pointer, message: str, key: bool = False) -> StyleError:
        where = f" (`{yaml_path(pointer)}`)" if pointer else ""
        return StyleError(f"{self.at(pointer, key)}: {message}{where}")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's, when built with it
    """YAML 1.1's SafeLoader reads `no` as false and `on` as true; words in a style rule are words."""


# a copy: SafeLoader's table is shared by every PyYAML user in the process
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def read(path: Path) -> Located:
    """The YAML file at `path` as data with positions; StyleError when it is not readable YAML."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StyleError(f"{path}: cannot read the rule file: {exc.strerror or exc}") from exc
    if len(raw) > MAX_RULE_BYTES:
        raise StyleError(f"{path}:1:1: the rule file has {len(raw):,} bytes, more than a rule file holds "
                         f"(at most {MAX_RULE_BYTES:,})")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StyleError(f"{path}:1:1: the rule file is not UTF-8 (byte {exc.start})") from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise StyleError(f"{path}:{line}:{column}: invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise StyleError(f"{path}:1:1: invalid YAML: {exc}") from exc
    located = Located(path, None, {}, {})
    data = _build(located, node, ()) if node is not None else None
    return located._replace(data=data)


def _build(located: Located, node: yaml.Node, pointer: Pointer) -> Any:
    located.values[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(located, key_node, pointer)
            if not isinstance(key, str):
                raise located.error(pointer, f"the key {key!r} is not a name", key=True)
            child = (*pointer, key)
            located.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                raise located.error(child, f"the key `{key}` appears twice", key=True)
            out[key] = _build(located, value_node, child)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(located, item, (*pointer, index)) for index, item in enumerate(node.value)]
    return _scalar(located, node, pointer)


def _scalar(located: Located, node: yaml.Node, pointer: Pointer) -> Any:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if not isinstance(node, yaml.ScalarNode):
        raise StyleError(f"{located.path}:{line}:{column}: a key must be a plain word")
    try:
        return _Loader("").construct_object(node)
    except (yaml.YAMLError, ValueError) as exc:
        raise StyleError(f"{located.path}:{line}:{column}: cannot read {node.value!r}: {exc}") from exc


def _schema() -> Any:
    return json.loads(packaged.path("schemas", "style-rule.schema.json").read_text(encoding="utf-8"))


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # imported only to explain a broken rule file

    return Draft202012Validator(_schema())


@cache
def _fast() -> Any:
    """A compiled yes/no validator, as schema.fast_validator for records: jsonschema costs a 100-rule project
    a quarter of a second to import and run, and is asked only when a file is wrong, for its errors."""
    import fastjsonschema

    from ..schema import draft7

    return fastjsonschema.compile(draft7(_schema()))


def validate(located: Located) -> None:
    """StyleError at the first place `located` breaks schemas/style-rule.schema.json, in file order."""
    if not isinstance(located.data, dict):
        raise located.error((), "a rule file is a mapping of settings (kind, tokens, docs, ...)")
    import fastjsonschema

    try:
        _fast()(located.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    errors = list(_validator().iter_errors(located.data))
    if not errors:
        return
    # an unknown setting first: it is most often a misspelt one, which a missing-setting error would hide
    pointer, message, key = min((_explain(located, error) for error in errors),
                                key=lambda item: (not item[2], *_order(located, item[0], item[2])))
    raise located.error(pointer, message, key=key)


def _order(located: Located, pointer: Pointer, key: bool) -> tuple[int, int]:
    line, column = located.at(pointer, key).rsplit(":", 2)[1:]
    return int(line), int(column)


def _explain(located: Located, error: Any) -> tuple[Pointer, str, bool]:
    """Where an error is, in the rule file, and what to do about it."""
    pointer: Pointer = tuple(error.absolute_path)
    validator, instance, schema = error.validator, error.instance, error.schema
    if validator == "additionalProperties" and isinstance(instance, dict):
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        if extra:
            from ..suggest import did_you_mean

            known = schema.get("properties", {})
            hint = did_you_mean(extra[0], known) or f"known: {', '.join(known)}"
            return (*pointer, extra[0]), f"unknown setting `{extra[0]}`; {hint}", True
    if validator == "required":
        return pointer, f"missing setting: {error.message.split(' ', 1)[0]}", False
    if validator == "not" and isinstance(instance, dict):
        return pointer, f"a rule of kind `{instance.get('kind')}` takes none of the settings " \
                        f"{_settings(schema['not'])}", False
    if validator == "anyOf" and isinstance(instance, dict) and instance.get("kind") == "occurrence":
        return pointer, "an occurrence rule needs `max` or `min`", False
    if validator == "enum":
        return pointer, f"{instance!r} is not one of {', '.join(map(str, schema['enum']))}", False
    if validator == "pattern" and pointer and pointer[0] == "name":
        return pointer, f"{instance!r} is not a kebab-case name (lower-case words joined by `-`)", False
    if validator == "pattern" and pointer and pointer[0] == "scope":
        return pointer, f"{instance!r} is not a field glob such as `sections.*`, `sections.faq[*].answer` or " \
                        "`dosing[*].label`", False
    return pointer, error.message, False


def _settings(schema: Any) -> str:
    names = [next(iter(option["required"])) for option in schema.get("anyOf", ())]
    return ", ".join(f"`{name}`" for name in names)
