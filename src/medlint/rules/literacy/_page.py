"""What the health-literacy pack reads of a record: the page's running text, as a patient meets it."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Pointer
from ...record import Record
from ..fields import prose

# the record format's patient-facing page text (docs/record-format.md: `sections` are "the patient-facing
# sections of the page"); the dosing entries are the page's dose table and its notes, written from the label
# for whoever gives the dose, and the boxed warning is the label's title
_PAGE = ("indication", "summary", "sections")


def page(record: Record) -> Iterator[tuple[Pointer, str]]:
    """The title (`indication.condition`, `indication.qualifier`), the summary and every section text, in page
    order: (pointer, text)."""
    return ((pointer, text) for pointer, text in prose(record) if pointer[0] in _PAGE)


def is_heading(pointer: Pointer) -> bool:
    """A text the page shows as a heading: the title, and each FAQ question."""
    return pointer[0] == "indication" or pointer[-1] == "question"
