"""What a rule is: a stable code, a name for the problem, a severity, options, docs and a check."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from .. import codec
from ..decode import Problem
from ..limits import Limits
from ..model import Finding, Fix, Hit, Pointer, Position, Severity
from ..record import Record

T = TypeVar("T")


def option(default: T, description: str) -> T:
    """A field of a rule's options class: its default and what it means. The field `max_grade` is the
    option `max-grade` in the configuration; a list is written as a tuple, so the options stay frozen."""
    made: T = field(default=default, metadata={"description": description})
    return made


@dataclass(frozen=True)
class NoOptions:
    """The options of a rule that has none."""


class Option(NamedTuple):
    """One option as the configuration and the docs name it."""

    name: str  # `max-grade`
    attribute: str  # `max_grade`
    kind: Any  # its type: int, float, bool, str or tuple[str, ...]
    default: Any  # as the configuration writes it: a list for a tuple
    description: str


@dataclass(frozen=True)
class Docs:
    """Rule docs in ruff's shape. `example` and `use_instead` are YAML fragments: their top-level keys
    replace those of a clean record (see tests/rules/test_docs.py), so both must stand on their own."""

    what: str
    why: str
    example: str
    use_instead: str
    references: tuple[str, ...] = ()
    example_encoding: str = "utf-8"  # for rules about bytes (encoding), how the example file is written
    example_options: Mapping[str, Any] = field(default_factory=dict)  # options the examples are checked with
    example_limits: str = ""  # the drug's dose-limit table the examples are checked with (limits family)
    example_file: str = ""  # where the examples are written when they are not records (`limits/<drug>.yaml`)


class RuleContext(NamedTuple):
    today: dt.date
    options: Any  # the rule's options class, with the run's values (a rule annotates it with its own class)
    previous: Record | None = None  # the record as it was at --changed-since REV, if it existed
    limits: Limits | None = None  # the drug's dose-limit table, when the run has a limits folder
    schema: str = ""  # the record schema's path (the configuration's `schema`); "" is the packaged one


class Facts(NamedTuple):
    """What is kept of one record after it was linted: who it is, and what its extractors took from it for
    the cross-record rules (and the report), by extractor name: a new extractor needs no new field here or
    in the cache. Only the extractor knows its value's type: read from the cache, a value is checked against
    it when the extractor reads it (codec.Stored)."""

    path: str
    expected_id: str | None
    id: str | None
    drug_slug: str | None
    values: tuple[tuple[str, object], ...] = ()  # (extractor name, its value)


@dataclass(frozen=True)
class Extractor(Generic[T]):
    """What one record contributes to cross-record rules (or the report), taken when it is linted; `kind`
    is the value's type, as codec checks it. `extract` gets the options of the first enabled rule that
    declares it (an extractor that reads them belongs to one rule), so that it keeps only what that rule
    can use: every record's facts stay in memory until the cross-record rules run."""

    name: str
    kind: Any
    extract: Callable[[Record, RuleContext], T]

    def of(self, facts: Facts) -> T:
        value = next((value for name, value in facts.values if name == self.name), _MISSING)
        if value is _MISSING:
            raise KeyError(f"{facts.path}: the run took no `{self.name}` facts")
        if isinstance(value, codec.Stored):
            value = value.decode(self.kind)
        return value  # type: ignore[return-value]


_MISSING = object()


class CorpusHit(NamedTuple):
    path: str
    position: Position
    pointer: Pointer
    message: str
    hint: str | None = None
    subject: str = ""


Check = Callable[[Record, RuleContext], Iterable[Hit]]
FileCheck = Callable[[Sequence[Problem]], Iterable[Problem]]
CorpusCheck = Callable[[Sequence[Facts], RuleContext], Iterable[CorpusHit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    docs: Docs
    check: Check | None = None
    check_corpus: CorpusCheck | None = None
    check_file: FileCheck | None = None  # the problems the loader met reading the file that this rule reports
    check_table: Check | None = None  # its check of a dose-limit table (limits/<drug>.yaml), if it checks them
    options: type[Any] = NoOptions  # a frozen dataclass whose fields are made by `option`
    fixable: bool = False
    facts: tuple[Extractor[Any], ...] = ()  # what check_corpus reads of each record
    default_enabled: bool = True  # False: an opt-in rule, run only when a selection names it (code, name, family)

    def __reduce_ex__(self, protocol: Any) -> Any:
        """A built-in rule goes to a worker process by its code: its checks may be closures, and its docs
        are long. A rule a run adds goes whole (its checks must then be module-level functions)."""
        if _builtin(self.code) is self:
            return _builtin, (self.code,)
        return super().__reduce_ex__(protocol)

    def finding(self, *, path: str, position: Position, severity: Severity, message: str, pointer: str = "",
                hint: str | None = None, subject: str = "", fix: Fix | None = None) -> Finding:
        """A finding of this rule: the only way one is made (as ruff makes a Diagnostic from a Violation)."""
        return Finding(path=path, position=position, code=self.code, name=self.name, severity=severity,
                       message=message, pointer=pointer, hint=hint, subject=subject, fix=fix)

    def option_list(self) -> tuple[Option, ...]:
        return _options(self.options)  # type: ignore[arg-type]  # a class is hashable; typeshed's type[Any] is not

    def defaults(self) -> Any:
        return self.options()


def _builtin(code: str) -> Rule | None:
    from . import BUILTIN  # the registry imports every rule module, and each of them this one

    return BUILTIN.by_code.get(code)


@functools.cache
def _options(kind: type[Any]) -> tuple[Option, ...]:
    hints = typing.get_type_hints(kind)
    return tuple(Option(item.name.replace("_", "-"), item.name, hints[item.name],
                        list(item.default) if isinstance(item.default, tuple) else item.default,
                        item.metadata.get("description", ""))
                 for item in dataclasses.fields(kind))
