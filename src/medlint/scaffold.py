"""`medlint new DRUG/INDICATION`: a skeleton record to fill in, which `medlint check` walks the author through.

The skeleton is generated from the record schema, so that it holds every required field and section in
the schema's order, each under a comment that is the schema's own description of it. What only the author
can write is a fill-in-the-blank placeholder (`<brand name>`, `<route>`) that ML201 reports until it is
replaced; a placeholder in a field that must be a number or one of a list is reported once, as a
placeholder (engine.placeholders_first). What medlint knows is written out: the id from the path, the
format version, today's review date and a next review within the review policy, and the label as the
first source, as the schema requires.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import files, load, schema as schema_mod
from .config import Config
from .errors import UserError
from .rules import review

COMMENT_WIDTH = 100
ONE_YEAR = 365
_TITLE_WORDS = re.compile(r"[^A-Za-z _-]+")
# fields that the schema requires only conditionally, or of which it needs one value, and what they hold
_ALSO: dict[tuple[str | int, ...], tuple[str, ...]] = {("dosing", 0, "dose"): ("value",)}


class ScaffoldError(UserError):
    """The record cannot be created: a bad id, an existing file, an unreadable --from record."""


def _placeholder(node: Mapping[str, Any], key: str) -> str:
    words = _TITLE_WORDS.sub(" ", str(node.get("title") or key.replace("_", " "))).split()
    return "<" + " ".join(words).lower() + ">"


def _comment(node: Mapping[str, Any], indent: str) -> list[str]:
    text = str(node.get("description") or "")
    return textwrap.wrap(text, COMMENT_WIDTH, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# ",
                         break_on_hyphens=False, break_long_words=False)


def _scalar(value: Any) -> str:
    """`value` as YAML that reads back as exactly it: plain where that does, else double-quoted (JSON's
    escapes are YAML's), so that a name copied with `--from` cannot turn into a comment or a mapping."""
    if not isinstance(value, str):
        return str(value).lower() if isinstance(value, bool) else str(value)
    for text in (value, json.dumps(value, ensure_ascii=False), json.dumps(value)):
        loaded = load.load_text(f"k: {text}\n".encode("utf-8", "surrogatepass"), "value")
        if not loaded.problems and loaded.record is not None and loaded.record.data == {"k": value}:
            return text
    raise ScaffoldError(f"cannot write {value!r} so that it reads back the same")


def _emit(node: Mapping[str, Any], root: Mapping[str, Any], path: tuple[str | int, ...], indent: int,
          values: Mapping[tuple[str | int, ...], Any], out: list[str], first_prefix: str = "") -> None:
    """The required fields of the mapping `node` at `indent`; the first line starts with `first_prefix`
    (`- `) when the mapping is a list item."""
    required = [*node.get("required", ()), *_ALSO.get(path, ())]
    properties = node.get("properties", {})
    for key in [key for key in properties if key in required]:
        child = schema_mod.annotated(properties[key], root)
        here = (*path, key)
        pad = " " * indent
        lead = pad
        if first_prefix:
            lead, first_prefix = pad[: -len(first_prefix)] + first_prefix, ""
        if not path and out[-1]:
            out.append("")  # a blank line between top-level sections
        out.extend(_comment(child, " " * (len(lead) - len(lead.lstrip(" ")))))
        if child.get("type") == "object":
            out.append(f"{lead}{key}:")
            _emit(child, root, here, indent + 2, values, out)
        elif child.get("type") == "array":
            out.append(f"{lead}{key}:")
            item = schema_mod.annotated(child.get("items"), root)
            if item.get("type") == "object":
                _emit(item, root, (*here, 0), indent + 4, values, out, "- ")
            else:
                out.append(f"{pad}  - {values.get((*here, 0), _placeholder(child, key))}")  # named by its list
        else:
            value = values.get(here, child["const"] if "const" in child else _placeholder(child, key))
            out.append(f"{lead}{key}: {_scalar(value)}")


def skeleton(record_id: str, today: dt.date, config: Config, drug: Mapping[str, str] | None = None) -> str:
    """The text of a new record `record_id` (`drug/indication`), reviewed `today`."""
    root = schema_mod.load_schema(Path(config.schema) if config.schema else None)
    interval = min(ONE_YEAR, config.rules.options_of(review.REVIEW_INTERVAL_TOO_LONG.code).max_interval_days)
    values: dict[tuple[str | int, ...], Any] = {
        ("id",): record_id,
        ("language",): "en",
        ("review", "last_reviewed"): today.isoformat(),
        ("review", "next_review_due"): (today + dt.timedelta(days=interval)).isoformat(),
        ("sources", 0, "kind"): "prescribing-information",
        ("sources", 0, "url"): "https://<address of the label>",
        ("sources", 0, "accessed"): today.isoformat(),
    }
    for key, value in (drug or {}).items():
        values[("drug", key)] = value
    out = [f"# {record_id}: written by `medlint new`. Write over every <...> placeholder; `medlint check`",
           "# lists those left. The comments quote the record schema (`medlint schema`); delete them when done.",
           ""]
    _emit(schema_mod.annotated(root, root), root, (), 0, values, out)
    return "\n".join(out) + "\n"


def skeleton_at(path: Path, today: dt.date, config: Config) -> str | None:
    """The skeleton of the record a file at `path` (`records/<drug>/<indication>.yaml`) would be: what
    `medlint new` writes there. None where the path names no record id."""
    record_id = load.expected_id(path)
    try:
        _check_id(record_id or "")
    except ScaffoldError:
        return None
    return skeleton(str(record_id), today, config)


def _check_id(record_id: str) -> tuple[str, str]:
    root = schema_mod.load_schema()
    pattern = root["properties"]["id"]["pattern"]
    if not re.fullmatch(pattern, record_id):
        raise ScaffoldError(f"{record_id!r} is not DRUG/INDICATION in lowercase letters, digits and hyphens, "
                            "for example zolgensma/spinal-muscular-atrophy")
    drug, indication = record_id.split("/")
    return drug, indication


def _drug_fields(records: Path, source_id: str, config: Config) -> dict[str, str]:
    drug, indication = _check_id(source_id)
    path = records / drug / f"{indication}.yaml"
    loaded = load.load_file(path, max_bytes=config.max_file_bytes)
    if loaded.record is None:
        problem = loaded.problems[0].message if loaded.problems else "it is not a record"
        raise ScaffoldError(f"cannot copy the drug fields of {source_id}: {path}: {problem}")
    fields = loaded.record.data.get("drug")
    if not isinstance(fields, dict):
        raise ScaffoldError(f"cannot copy the drug fields of {source_id}: {path} has no `drug` mapping")
    return {key: value for key, value in fields.items() if isinstance(value, str)}


def _create(path: Path, text: str) -> None:
    """Write a file that must not exist yet: all of it or none, never over another's file, never through a
    link (files.write_bytes with `new`)."""
    try:
        files.write_text(path, text, new=True)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; medlint new does not overwrite a record") from None
    except OSError as exc:
        raise ScaffoldError(f"cannot write {path}: {exc.strerror or exc}") from None


def new(record_id: str, records: Path, today: dt.date, config: Config, source_id: str | None = None) -> Path:
    """Write the skeleton of `record_id` under `records` and return its path."""
    drug, indication = _check_id(record_id)
    path = records / drug / f"{indication}.yaml"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists; medlint new does not overwrite a record")
    fields = _drug_fields(records, source_id, config) if source_id else None
    _create(path, skeleton(record_id, today, config, fields))
    return path
