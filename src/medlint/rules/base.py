"""What a rule is: a stable code, a name for the problem, a severity, options, docs and a check."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..limits import Limits
from ..model import Hit, Pointer, Position, Severity
from ..record import Record


@dataclass(frozen=True)
class Option:
    default: Any
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
    options: Mapping[str, Any]
    previous: Record | None = None  # the record as it was at --changed-since REV, if it existed
    limits: Limits | None = None  # the drug's dose-limit table, when the run has a limits folder


class Reading(NamedTuple):
    """One graded text of a record, measured with the names the record itself knows (ML701); the words
    that cost more than one syllable are kept, so that names known only to the corpus can be taken out."""

    pointer: Pointer
    position: Position
    label: str  # how a message names the text: "the summary"
    words: int
    sentences: int
    syllables: int
    long_words: tuple[tuple[str, int], ...]  # (lower-case word, syllables above one it added in all)


class Facts(NamedTuple):
    """What cross-record rules need of one record: small, picklable and cacheable."""

    path: str
    expected_id: str | None
    id: str | None
    drug_slug: str | None
    names: tuple[tuple[str, str, Position], ...]  # (field, value, position) of drug names
    id_position: Position
    reading: tuple[Reading, ...] = ()  # the texts ML701 grades


class CorpusHit(NamedTuple):
    path: str
    position: Position
    pointer: Pointer
    message: str
    hint: str | None = None
    subject: str = ""


Check = Callable[[Record, RuleContext], Iterable[Hit]]
CorpusCheck = Callable[[Sequence[Facts], RuleContext], Iterable[CorpusHit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    docs: Docs
    check: Check | None = None  # None: the loader, the schema layer or the engine reports it
    check_corpus: CorpusCheck | None = None
    options: Mapping[str, Option] = field(default_factory=dict)
    fixable: bool = False

    def defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self.options.items()}
