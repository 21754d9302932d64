"""An example medlint plugin: rules written in Python, with the same Rule API as medlint's own."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from medlint.record import Record
from medlint.model import Edit, Fix, Hit, Pointer, Severity
from medlint.rules.base import Docs, Rule, RuleContext

_PROSE = ("summary", "sections")  # the top-level fields whose texts patients read


def _texts(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*pointer, index))


def _fix(record: Record, pointer: Pointer, start: int) -> Fix | None:
    """Replace the `!` with a full stop, when the value is written as itself in the file."""
    span = record.source_span(pointer, start, start + 1)
    if span is None or record.text[span[0] : span[1]] != "!":
        return None
    return Fix("replace `!` with `.`", (Edit(span[0], span[1], ".", pointer, start, start + 1),))


def check(record: Record, context: RuleContext) -> Iterator[Hit]:
    for key in _PROSE:
        for pointer, text in _texts(record.data.get(key), (key,)):
            for index, char in enumerate(text):
                if char == "!":
                    yield Hit(pointer, "an exclamation mark in patient text sounds alarmed or pushy",
                              "end the sentence with a full stop", index, index + 1, subject="!",
                              fix=lambda p=pointer, i=index: _fix(record, p, i))


NO_EXCLAMATION_MARKS = Rule(
    code="example/no-exclamation-marks",
    name="no-exclamation-marks",
    family="example",
    severity=Severity.WARNING,
    summary="An exclamation mark in patient-facing text.",
    docs=Docs(
        what="Finds exclamation marks in the summary and the sections.",
        why="Health information that exclaims reads as alarm or as advertising; a calm full stop is trusted more.",
        example="summary: Zolgensma is given only once!\n",
        use_instead="summary: Zolgensma is given only once.\n",
        references=("Our house style guide, section 6 (tone)",),
    ),
    check=check,
    fixable=True,
)

RULES = (NO_EXCLAMATION_MARKS,)
