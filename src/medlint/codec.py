"""Typed values to JSON and back, checked against their type hints: how the cache stores results.

Encoding is the C JSON encoder's own work (a named tuple is an array of its fields, a string enum is its
string, a date is ISO text), with no tagged copy. Decoding walks the declared types of the expected class
(`typing.get_type_hints`) and builds the value only when every part has its declared type: anything else,
a file edited by hand or written by another version, raises `CodecError`, never another exception, so a
cache entry is used exactly as it was stored or not at all. A new field or type in a cached class is
covered without a registry to update; a type this module cannot check fails the first test that stores it.
"""
from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A value that does not have the declared type."""


def _default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__}")


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=_default)


def loads(text: str, kind: type[T]) -> T:
    """The value of type `kind` that `text` (from `dumps`) holds; CodecError for anything else."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CodecError(f"not JSON: {exc}") from None
    decoded: T = decode(kind, document)
    return decoded


@cache
def _fields(cls: type) -> tuple[tuple[Any, ...], int]:
    """The field types of a named tuple, and how many fields it needs (the others have defaults)."""
    hints = typing.get_type_hints(cls)
    names: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
    return tuple(hints[name] for name in names), len(names) - len(cls._field_defaults)  # type: ignore[attr-defined]


def decode(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        for option in typing.get_args(hint):
            try:
                return decode(option, value)
            except CodecError:
                continue
        raise CodecError(f"{value!r:.80} is none of {hint}")
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list):
            raise CodecError(f"expected a list for {hint}, not {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in value)
        if len(args) != len(value):
            raise CodecError(f"expected {len(args)} items for {hint}, not {len(value)}")
        return tuple(decode(arg, item) for arg, item in zip(args, value, strict=True))
    if origin is not None:
        raise TypeError(f"codec: no rule for {hint}")
    return _scalar(hint, value)


def _scalar(hint: Any, value: Any) -> Any:
    if hint is type(None):
        if value is not None:
            raise CodecError(f"expected null, not {value!r:.80}")
        return None
    if hint in (str, int, bool):
        if type(value) is not hint:  # not isinstance: a bool is no int here, and no int a bool
            raise CodecError(f"expected {hint.__name__}, not {value!r:.80}")
        return value
    if hint is float:
        if type(value) not in (int, float):
            raise CodecError(f"expected a number, not {value!r:.80}")
        return float(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except (ValueError, TypeError):  # TypeError: an unhashable value, such as a list
            raise CodecError(f"{value!r:.80} is no {hint.__name__}") from None
    if hint is dt.date:
        if not isinstance(value, str):
            raise CodecError(f"expected a date, not {value!r:.80}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CodecError(f"{value!r:.80} is no date") from None
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        kinds, required = _fields(hint)
        if not isinstance(value, list) or not required <= len(value) <= len(kinds):
            raise CodecError(f"expected {hint.__name__} as a list of {required} to {len(kinds)} items")
        return hint(*(decode(kind, item) for kind, item in zip(kinds, value, strict=False)))
    raise TypeError(f"codec: no rule for {hint}")
