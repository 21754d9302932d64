"""Value objects shared by every layer: severities, positions, hits and findings."""
from __future__ import annotations

import enum
from collections.abc import Callable
from typing import NamedTuple

Pointer = tuple[str | int, ...]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Position(NamedTuple):
    """1-based, end exclusive: `end_column` is the column just past the last character."""

    line: int
    column: int
    end_line: int
    end_column: int


class Edit(NamedTuple):
    """Replace the source characters [start, end) of a file with `text`.

    A rule that edits a value also says what it means the edit to do to it: replace the value characters
    [value_start, value_end) of the scalar at `pointer` with `text`, or (value_start -1) rewrite a number's
    source without changing the number. `medlint fix` checks the result against that, character for
    character, so that an error in mapping value offsets to source offsets can never change a dose. An
    edit with no pointer states no intent; the planner then derives it from the source map.
    """

    start: int
    end: int
    text: str
    pointer: Pointer = ()
    value_start: int = -1
    value_end: int = -1


class Fix(NamedTuple):
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


class Hit(NamedTuple):
    """What a rule reports: the engine adds code, severity and position.

    `start`/`end` are offsets into the scalar's *value* (not its source); `on_key` points at the
    mapping key instead of its value (for unknown or misplaced keys). `subject` names what the hit is
    about independently of line numbers, so that baselines survive edits elsewhere in the file.
    """

    pointer: Pointer
    message: str
    hint: str | None = None
    start: int | None = None
    end: int | None = None
    on_key: bool = False
    subject: str = ""
    # a function when building the fix costs: the engine calls it only for the findings it shows, so that a
    # value with 100,000 defects (of which one rule shows `max-findings-per-rule`) is not 100,000 fixes
    fix: Fix | Callable[[], Fix | None] | None = None


class Finding(NamedTuple):
    path: str
    position: Position
    code: str
    name: str
    severity: Severity
    message: str
    pointer: str = ""
    hint: str | None = None
    subject: str = ""
    fix: Fix | None = None
    suppressed: str | None = None  # the justification, when an inline comment suppresses it

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.position.line, self.position.column, self.code, self.message)


def json_pointer(pointer: Pointer) -> str:
    """RFC 6901 form of a pointer: ('dosing', 0, 'dose') -> '/dosing/0/dose'."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


def yaml_path(pointer: Pointer) -> str:
    """The dotted form authors recognise: ('dosing', 0, 'dose') -> 'dosing[0].dose'."""
    out = ""
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"
