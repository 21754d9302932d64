"""Where a house rule reads: field globs over a record's texts, and `when:` conditions on its fields."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Pointer
from ..record import Record
from ..rules.fields import prose

ANY = "*"  # one key, or one list index
_WORD = re.compile(r"\w+")
_PART = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")

Glob = tuple[str | int, ...]


def parse(path: str) -> Glob:
    """`sections.faq[*].answer` -> ('sections', 'faq', '*', 'answer'); indexes as ints."""
    return tuple(int(index) if index and index != ANY else (index or name) for name, index in _PART.findall(path))


def _matches(glob: Glob, pointer: Pointer) -> bool:
    """Whether `pointer` lies at or beneath what `glob` selects: a rule reads every text under a field."""
    return len(pointer) >= len(glob) and all(part in (ANY, step) for part, step in zip(glob, pointer, strict=False))


def _strings(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*pointer, index))


def _every(record: Record) -> tuple[tuple[Pointer, str], ...]:
    return record.derived("house-strings", lambda r: tuple(_strings(r.data, ())))


def texts(record: Record, globs: Sequence[Glob]) -> tuple[tuple[Pointer, str], ...]:
    """The record's texts a rule reads, in file order: the patient-facing prose when it names no globs."""
    if not globs:
        return prose(record)
    every = _every(record)
    return record.derived(("house-scope", tuple(globs)),
                          lambda r: tuple(item for item in every if any(_matches(g, item[0]) for g in globs)))


def folded(record: Record) -> str:
    """Every text of the record, case-folded, in one string: what a rule's words must be found in."""
    return record.derived("house-folded", lambda r: "\n".join(text for _, text in _every(r)).casefold())


def fold_memo(record: Record) -> dict[str, str]:
    """The record's texts lower-cased for the rules' locators, filled as they are first needed."""
    return record.derived("house-fold-memo", lambda r: {})


def words(record: Record) -> frozenset[str]:
    """Every word of the record's texts, case-folded."""
    return record.derived("house-words", lambda r: frozenset(_WORD.findall(folded(r))))



def value_at(data: Any, glob: Glob) -> Any:
    for part in glob:
        if isinstance(part, int) and isinstance(data, list) and -len(data) <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def holds(record: Record, when: Mapping[Glob, tuple[Any, ...]]) -> bool:
    """Whether every condition holds: the field has one of the values (or, a list, contains one)."""
    for glob, wanted in when.items():
        value = value_at(record.data, glob)
        found = value if isinstance(value, list) else [value]
        if not any(_same(item, choice) for item in found for choice in wanted):
            return False
    return True


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    if isinstance(value, str) and isinstance(wanted, str):
        return value.casefold() == wanted.casefold()
    return bool(value == wanted)
