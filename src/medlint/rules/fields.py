"""What rules read of a record and how they point into it: where the patient-facing prose is, the dose
entries, and fixes that replace characters of a scalar."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Edit, Fix, Pointer
from ..record import Record
from ..sourcemap import keeps_reading

_SECTION_TEXT = ("why_used", "mechanism", "alternatives")
_SECTION_LISTS = ("what_to_expect", "when_to_talk_to_doctor")
_DOSE_TEXT = ("label", "duration", "notes")


def _strings(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    if isinstance(value, str):
        yield pointer, value


def prose(record: Record, *, labels: bool = True) -> tuple[tuple[Pointer, str], ...]:
    """Every patient-facing text field, in page order: (pointer, text); computed once per record."""
    return record.derived("prose" if labels else "prose-without-labels",
                          lambda r: tuple(_prose(r, labels=labels)))


def _prose(record: Record, *, labels: bool) -> Iterator[tuple[Pointer, str]]:
    data = record.data
    indication = data.get("indication")
    if isinstance(indication, dict):
        for key in ("condition", "qualifier"):
            yield from _strings(indication.get(key), ("indication", key))
    yield from _strings(data.get("summary"), ("summary",))
    sections = data.get("sections")
    if isinstance(sections, dict):
        for key in _SECTION_TEXT:
            yield from _strings(sections.get(key), ("sections", key))
        for key in _SECTION_LISTS:
            items = sections.get(key)
            if isinstance(items, list):
                for index, item in enumerate(items):
                    yield from _strings(item, ("sections", key, index))
        faq = sections.get("faq")
        if isinstance(faq, list):
            for index, item in enumerate(faq):
                if isinstance(item, dict):
                    for key in ("question", "answer"):
                        yield from _strings(item.get(key), ("sections", "faq", index, key))
    dosing = data.get("dosing")
    if isinstance(dosing, list):
        for index, entry in enumerate(dosing):
            if isinstance(entry, dict):
                for key in _DOSE_TEXT if labels else _DOSE_TEXT[1:]:
                    yield from _strings(entry.get(key), ("dosing", index, key))
    warnings = data.get("warnings")
    if isinstance(warnings, dict):
        yield from _strings(warnings.get("boxed"), ("warnings", "boxed"))


def replace_fix(record: Record, pointer: Pointer, start: int, end: int, new: str, description: str,
                safe: bool = True) -> Fix | None:
    """A fix that replaces value characters [start, end) of a scalar, when they stand verbatim in the
    source (not folded across lines, not escaped) and writing `new` there reads back as exactly that
    replacement; otherwise no fix is offered."""
    value = record.get(pointer)
    span = record.source_span(pointer, start, end)
    if not isinstance(value, str) or span is None or record.text[span[0] : span[1]] != value[start:end]:
        return None
    parent = record.nodes.get(pointer[:-1])
    in_flow = parent is not None and record.text[parent.start : parent.start + 1] in ("[", "{")
    info = record.nodes[pointer]
    if not keeps_reading(record.text, info.start, span[0], span[1], new, info.style, in_flow):
        return None
    return Fix(description, (Edit(span[0], span[1], new, pointer, start, end),), safe)


def raw_fix(record: Record, pointer: Pointer, new: str, description: str, safe: bool = True) -> Fix | None:
    """A fix that rewrites a plain number's whole source text without changing the number (`1.0` -> `1`)."""
    info = record.nodes.get(pointer)
    if info is None or info.style is not None:
        return None
    return Fix(description, (Edit(info.start, info.start + len(record.raw(pointer)), new, pointer),), safe)
