"""Hovers and completions: a finding's rule docs, and what the record schema says of the field at the cursor.

Field names, descriptions, allowed values (`enum`, `const`) and suggested values (`examples`) all come
from the schema medlint checks with (the packaged one, or the config's `schema`), so the editor offers
exactly what the checker accepts. yaml-language-server shows the same schema to authors without medlint.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lsprotocol import types

from .. import docs, rules, schema as schema_mod
from .analysis import Analysis
from .diagnostics import finding_range
from .outline import Path as KeyPath, Place, field, place
from .text import LineIndex


@functools.lru_cache(maxsize=4)
def record_schema(path: str = "") -> Mapping[str, Any]:
    return schema_mod.load_schema(Path(path) if path else None)


def subschema(root: Mapping[str, Any], path: KeyPath) -> dict[str, Any] | None:
    """The schema of the value at `path` (a list item for each ITEM), or None where the schema has none."""
    node = schema_mod.annotated(root, root)
    for step in path:
        if isinstance(step, int):
            child = node.get("items")
        else:
            properties = node.get("properties")
            child = properties.get(step) if isinstance(properties, dict) else None
        if child is None:
            return None
        node = schema_mod.annotated(child, root)
    return node


def _shown(path: KeyPath) -> str:
    out = ""
    for step in path:
        out += "[]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _values(node: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    """(value, allowed): values the field must take one of, else values the schema suggests."""
    if "const" in node:
        yield str(node["const"]), True
    for value in node.get("enum") or ():
        yield str(value), True
    for value in node.get("examples") or ():
        if isinstance(value, str | int | float) and "enum" not in node:
            yield str(value), False


def field_markdown(node: Mapping[str, Any], path: KeyPath) -> str:
    title = node.get("title") or path[-1]
    parts = [f"**{title}** `{_shown(path)}`"]
    if node.get("description"):
        parts.append(str(node["description"]))
    values = list(_values(node))
    allowed = [value for value, must in values if must]
    if allowed:
        parts.append("Allowed values: " + ", ".join(f"`{value}`" for value in allowed))
    elif values:
        parts.append("For example: " + ", ".join(f"`{value}`" for value, _ in values))
    return "\n\n".join(parts)


def schema_of(analysis: Analysis) -> Mapping[str, Any]:
    """The schema the check used; the packaged one where the configured one cannot be read (the check
    then says why, on the first line)."""
    try:
        return record_schema(analysis.config.schema if analysis.config else "")
    except schema_mod.SchemaError:
        return record_schema()


def hover(analysis: Analysis, index: LineIndex, position: types.Position, markdown: bool = True) -> types.Hover | None:
    offset = index.offset(position)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    here = []
    for finding in analysis.findings:
        where = finding_range(analysis, index, finding)
        if index.offset(where.start) <= offset <= index.offset(where.end):
            here.append((finding, where))
    if here:
        codes = list(dict.fromkeys(finding.code for finding, _ in here))
        registry = analysis.config.rules.registry if analysis.config else rules.BUILTIN
        text = "\n\n---\n\n".join(docs.rule_markdown(registry.by_code[code]) for code in codes)
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=here[0][1])
    found = field(analysis.buffer, offset)
    if found is None:
        return None
    path, start, end = found
    node = subschema(schema_of(analysis), path)
    if node is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=kind, value=field_markdown(node, path)),
                       range=index.range(start, end))


def _documentation(node: Mapping[str, Any]) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=str(node.get("description", "")))


def _field_items(root: Mapping[str, Any], where: Place, replace: types.Range) -> list[types.CompletionItem]:
    parent = subschema(root, where.path)
    properties = parent.get("properties") if parent else None
    if parent is None or not isinstance(properties, dict):
        return []
    required = set(parent.get("required") or ())
    items = []
    for name, raw in properties.items():
        if name in where.siblings:
            continue
        node = schema_mod.annotated(raw, root)
        nested = node.get("type") in ("object", "array")  # its value goes on the lines below
        items.append(types.CompletionItem(
            label=name, kind=types.CompletionItemKind.Property,
            detail=f"{node.get('title', name)}{' (required)' if name in required else ''}",
            documentation=_documentation(node), sort_text=f"{0 if name in required else 1}{name}",
            text_edit=types.TextEdit(range=replace, new_text=f"{name}:" if nested else f"{name}: ")))
    return items


def _value_items(root: Mapping[str, Any], where: Place, replace: types.Range) -> list[types.CompletionItem]:
    node = subschema(root, (*where.path, where.key))
    if node is None:
        return []
    pad = "" if where.spaced else " "
    return [types.CompletionItem(
        label=value, kind=types.CompletionItemKind.EnumMember if allowed else types.CompletionItemKind.Value,
        detail=node.get("title"), documentation=_documentation(node), sort_text=f"{rank:03d}",
        text_edit=types.TextEdit(range=replace, new_text=pad + value))
        for rank, (value, allowed) in enumerate(_values(node))]


def completions(buffer: str, root: Mapping[str, Any], index: LineIndex,
                position: types.Position) -> list[types.CompletionItem]:
    """Field names at the cursor's level (those not yet written), or the values the field may take. From
    the text alone, not from a check: completion comes while the author types, before any debounce."""
    offset = index.offset(position)
    where = place(buffer, offset)
    if where is None:
        return []
    replace = index.range(where.start, offset)
    return _value_items(root, where, replace) if where.key else _field_items(root, where, replace)
