"""Where a house rule reads: field globs over a record's texts, and `when:` conditions on its fields."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


def _strings(value: Any, pointer: Pointer, out: list[tuple[Pointer, str]]) -> list[tuple[Pointer, str]]:
    """Every string below `value`, in file order, added to `out` (a list, not nested generators: half the time)."""
    if isinstance(value, str):
        out.append((pointer, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(item, (*pointer, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _strings(item, (*pointer, index), out)
    return out


def _every(record: Record) -> tuple[tuple[Pointer, str], ...]:
    return record.derived("house-strings", _every_string)


def _every_string(record: Record) -> tuple[tuple[Pointer, str], ...]:
    return tuple(_strings(record.data, (), []))


def texts(record: Record, globs: Sequence[Glob]) -> tuple[tuple[Pointer, str], ...]:
    """The record's texts a rule reads, in file order: the patient-facing prose when it names no globs."""
    if not globs:
        return prose(record)
    every = _every(record)
    return record.derived(("house-scope", tuple(globs)),
                          lambda r: tuple(item for item in every if any(_matches(g, item[0]) for g in globs)))


def folded(record: Record) -> str:
    """Every text of the record, case-folded, in one string: what a rule's words must be found in."""
    return record.derived("house-folded", _folded)


def _folded(record: Record) -> str:
    return "\n".join(text for _, text in _every(record)).casefold()


def words(record: Record) -> frozenset[str]:
    """Every word of the record's texts, case-folded."""
    return record.derived("house-words", _words_of)


def _words_of(record: Record) -> frozenset[str]:
    return _words(folded(record))


# ASCII's characters that are not word characters, as spaces: a word (`\w+`) holds none of them
_NOT_WORD = bytes(byte if chr(byte).isalnum() or byte == ord("_") or byte > 127 else ord(" ") for byte in range(256))


def _words(text: str) -> frozenset[str]:
    r"""The words (`\w+`) of `text`: the runs between ASCII's spaces and punctuation where a run is ASCII (a
    third of the time of finding each word with the pattern), else that run's words as the pattern finds them."""
    if text.isascii():
        return frozenset(text.encode("ascii").translate(_NOT_WORD).decode("ascii").split())
    runs = set(text.encode("utf-8", "surrogatepass").translate(_NOT_WORD).decode("utf-8", "surrogatepass").split())
    other = [run for run in runs if not run.isascii()]
    runs.difference_update(other)
    for run in other:
        runs.update(_WORD.findall(run))
    return frozenset(runs)


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
