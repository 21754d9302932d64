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
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A value that does not have the declared type."""


class Stored:
    """A value declared `object`: one whose type only its owner knows (a rule's extractor, rules.base). It is
    kept as read, and decoded by the owner with `decode(its type, stored.json)` when used."""

    __slots__ = ("_decoded", "json")

    def __init__(self, json: Any) -> None:
        self.json = json
        self._decoded: tuple[Any, Any] | None = None  # (type, value): several cross-record rules read one fact

    def decode(self, hint: Any) -> Any:
        """The value as a value of type `hint` (decode); decoded once."""
        if self._decoded is None or self._decoded[0] is not hint:
            self._decoded = (hint, decode(hint, self.json))
        return self._decoded[1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stored) and other.json == self.json

    __hash__ = None  # type: ignore[assignment]


def _default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Stored):
        return value.json
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


def decode(hint: Any, value: Any) -> Any:
    """`value` (parsed JSON) as a value of type `hint`; CodecError when it is not one."""
    return _decoder(hint)(value)


Decoder = Callable[[Any], Any]


@cache
def _decoder(hint: Any) -> Decoder:
    """A function that checks and builds values of type `hint`, made once per type: a warm run decodes
    thousands of findings, and asking `typing` about each of their fields would cost more than reading them."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _union([_decoder(option) for option in typing.get_args(hint)], hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_decoder(args[0]), hint)
        return _fixed([_decoder(arg) for arg in args], hint)
    if origin is not None:
        raise TypeError(f"codec: no rule for {hint}")
    if hint is object:
        return Stored
    if hint is type(None):
        return _none
    if hint in (str, int, bool):
        return _exactly(hint)
    if hint is float:
        return _number
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum(hint)
    if hint is dt.date:
        return _date
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _named_tuple(hint)
    raise TypeError(f"codec: no rule for {hint}")


def _fail(expected: object, value: Any) -> CodecError:
    return CodecError(f"expected {expected}, not {value!r:.80}")


def _union(options: list[Decoder], hint: Any) -> Decoder:
    kinds = _exact_types(options)
    if kinds is not None:  # `str | None`
        allowed = frozenset(kinds)

        def exact(value: Any) -> Any:
            if type(value) not in allowed:
                raise _fail(hint, value)
            return value
        _EXACT_UNION[exact] = allowed
        return exact

    def decode(value: Any) -> Any:
        for option in options:
            try:
                return option(value)
            except CodecError:
                continue
        raise _fail(hint, value)
    return decode


# The decoders of the exact scalar types, by type: a tuple or named tuple made only of them is checked by
# comparing the types of its items at once (a warm run checks hundreds of thousands of such items).
_EXACT: dict[Decoder, type] = {}
_EXACT_ROWS: dict[Decoder, tuple[type, ...]] = {}  # the same for a fixed tuple of them: `tuple[str, int]`
_EXACT_UNION: dict[Decoder, frozenset[type]] = {}  # and for a union of them, None included


def _sequence(item: Decoder, hint: Any) -> Decoder:
    kind = _EXACT.get(item)
    allowed = frozenset((kind,)) if kind is not None else _EXACT_UNION.get(item)
    if allowed is not None:
        def exact(value: Any) -> Any:
            if type(value) is not list or not set(map(type, value)) <= allowed:
                raise _fail(hint, value)
            return tuple(value)
        return exact
    row = _EXACT_ROWS.get(item)
    if row is not None:
        def rows(value: Any) -> Any:
            if type(value) is not list or not set(map(type, value)) <= {list} or not {
                    tuple(map(type, part)) for part in value} <= {row}:
                raise _fail(hint, value)
            return tuple(map(tuple, value))
        return rows

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise _fail(hint, value)
        return tuple(map(item, value))
    return decode


def _exact_types(items: list[Decoder]) -> tuple[type, ...] | None:
    kinds = tuple(type(None) if item is _none else _EXACT.get(item) for item in items)
    return kinds if None not in kinds else None  # type: ignore[return-value]


def _fixed(items: list[Decoder], hint: Any) -> Decoder:
    kinds = _exact_types(items)
    if kinds is not None:
        def exact(value: Any) -> Any:
            if type(value) is not list or tuple(map(type, value)) != kinds:
                raise _fail(hint, value)
            return tuple(value)
        _EXACT_ROWS[exact] = kinds
        return exact

    if items and items[-1] is Stored and _exact_types(items[:-1]) is not None:  # (extractor name, its value)
        head = _exact_types(items[:-1])

        def named(value: Any) -> Any:
            if type(value) is not list or len(value) != len(items) or tuple(map(type, value[:-1])) != head:
                raise _fail(hint, value)
            return (*value[:-1], Stored(value[-1]))
        return named

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(items):
            raise _fail(hint, value)
        return tuple([item(part) for item, part in zip(items, value, strict=True)])
    return decode


def _none(value: Any) -> None:
    if value is not None:
        raise _fail("null", value)


def _exactly(kind: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not kind:  # not isinstance: a bool is no int here, and no int a bool
            raise _fail(kind.__name__, value)
        return value
    _EXACT[decode] = kind
    return decode


def _number(value: Any) -> float:
    if type(value) not in (int, float):
        raise _fail("a number", value)
    return float(value)


def _enum(kind: type[enum.Enum]) -> Decoder:
    members = {member.value: member for member in kind}

    def decode(value: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):  # TypeError: an unhashable value, such as a list
            raise _fail(kind.__name__, value) from None
    return decode


def _date(value: Any) -> dt.date:
    if type(value) is not str:
        raise _fail("a date", value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail("a date", value) from None


def _named_tuple(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind)
    names: tuple[str, ...] = kind._fields  # type: ignore[attr-defined]
    fields = [_decoder(hints[name]) for name in names]
    required = len(names) - len(kind._field_defaults)  # type: ignore[attr-defined]
    kinds = _exact_types(fields)
    if kinds is not None and required == len(fields):  # Position: four whole numbers
        make = kind._make  # type: ignore[attr-defined]

        def exact(value: Any) -> Any:
            if type(value) is not list or tuple(map(type, value)) != kinds:
                raise _fail(f"{kind.__name__} as a list of {required} items", value)
            return make(value)
        return exact

    def decode(value: Any) -> Any:
        if type(value) is not list or not required <= len(value) <= len(fields):
            raise _fail(f"{kind.__name__} as a list of {required} to {len(fields)} items", value)
        return kind(*[field(part) for field, part in zip(fields, value, strict=False)])
    return decode
