"""What prose-dose-mismatch (ML311) and prose-dose-tenfold-or-unit-swap (ML313) share: the doses in the
prose that disagree with the structured dosing."""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ... import agreement, allowed_doses, excerpt, quantities, units
from ...model import Hit, Pointer
from ...record import Record
from .common import prose_view


class _ProseDose(NamedTuple):
    pointer: Pointer
    start: int
    end: int
    written: str
    verdict: agreement.Verdict


def _names(record: Record) -> tuple[str, ...]:
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return ()
    return tuple(drug[key] for key in ("brand_name", "generic_name") if isinstance(drug.get(key), str))


def _read_as(reading: quantities.Reading, written: units.Unit) -> str:
    """How the reader took an amount, when the words around it changed it: " (a maximum, 4,000 mg a day)"."""
    parts = [] if reading.role in (quantities.Role.DOSE, quantities.Role.PER_WEIGHT) else [reading.role.value]
    if reading.daily != written.is_rate or reading.base.per_body != written.per_body:
        parts.append(f"{units.number(reading.value)} {reading.base}" + (" a day" if reading.daily else ""))
    return f" ({', '.join(parts)})" if parts else ""


def _prose_dose_disagreements(record: Record) -> tuple[_ProseDose, ...]:
    """Every prose amount that disagrees with the dosing (shared by ML311 and ML313: one reading)."""
    prose = prose_view(record)
    indication = record.data.get("indication")
    ages = indication.get("age_range") if isinstance(indication, dict) else None
    dosing = allowed_doses.Dosing.of(record.dose_entries(), ages) if prose.joined else None
    if dosing is None or not dosing.everything:
        return ()
    found = {n.offset + n.num_start: quantities.Found(n.offset + n.num_start, n.offset + n.end, n.value, n.unit)
             for n in prose.numbers if n.unit is not None and n.value is not None}

    def owner(offset: int) -> int | None:  # the dose entry whose own text (label, duration, notes) this is
        pointer = prose.segments[prose.locate(offset)[0]][0]
        return pointer[1] if pointer[0] == "dosing" and isinstance(pointer[1], int) else None

    out: list[_ProseDose] = []
    for reading, verdict in agreement.disagreements(prose.joined, found.values(), _names(record), dosing, owner):
        index, start = prose.locate(reading.start)
        pointer, text = prose.segments[index]
        end = start + reading.end - reading.start
        shown = excerpt.quote(text[start:end])
        written = shown + (_read_as(reading, found[reading.start].unit) if reading.start in found else "")
        out.append(_ProseDose(pointer, start, end, shown,
                              verdict._replace(message=f"the text says {written}; {verdict.message}")))
    return tuple(out)


def prose_dose_hits(record: Record, dangerous: bool, hint: str) -> Iterator[Hit]:
    for item in record.derived("units.prose-dose-disagreements", _prose_dose_disagreements):
        if item.verdict.dangerous == dangerous:
            yield Hit(item.pointer, item.verdict.message, hint=hint, start=item.start, end=item.end,
                      subject=item.written)
