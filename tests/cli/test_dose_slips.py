"""The merge gate on dose slips between the text and the dosing (issue 13): correct records it was not tuned
on pass, and a tenfold slip or a unit swap in any of them fails the gate with exit 1 (ML313)."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, ROOT

from medlint import load, quantities, units as house_units
from medlint.cli import main
from medlint.rules import units

UNSEEN = FIXTURES / "unseen" / "records"
MINE = sorted(UNSEEN.glob("*/ml311-*.yaml"))


def _check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    code = main(["check", "--today", "2026-11-25", "--no-cache", str(path)])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.parent.name)
def test_correct_records_it_has_never_seen_pass_with_no_findings(path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, path)
    assert code == 0 and out.startswith("All clear"), out


# (record, the correct text, the slip): every slip must fail the gate with ML313 on the slip's line
SLIPS = [
    ("cefdinir", "The dose is 14 mg per kilogram", "The dose is 140 mg per kilogram"),  # x10, per kg a day
    ("cefdinir", "The most a child gets is 600 mg a day", "The most a child gets is 6,000 mg a day"),
    ("cetirizine", "start with 2.5 mg once a day", "start with 25 mg once a day"),
    ("cetirizine", "Do not take more than 10 mg in 24 hours", "Do not take more than 100 mg in 24 hours"),
    ("liraglutide", "The first dose, 0.6 mg once a day", "The first dose, 0.06 mg once a day"),  # /10
    ("liraglutide", "The first dose, 0.6 mg once a day", "The first dose, 0.6 mcg once a day"),  # mcg for mg
    ("metformin", "Adults start with 500 mg twice a day", "Adults start with 50,000 mg twice a day"),  # x100
    ("metformin", "Adults start with 500 mg twice a day", "Adults start with 500 mcg twice a day"),
    ("metformin", "The most for adults is 2,550 mg a day", "The most for adults is 25,500 mg a day"),
    ("acetaminophen", "takes 240 mg, which", "takes 2,400 mg, which"),
    ("acetaminophen", "Take 650 mg, which is two", "Take 65 mg, which is two"),
    ("prednisolone", "Children take 1 to 2 mg per kilogram", "Children take 10 to 20 mg per kilogram"),
    ("prednisolone", "Take 40 to 60 mg once a day", "Take 40 to 60 g once a day"),  # g for mg
    ("insulin-degludec", "the first dose is 10 units once a day", "the first dose is 100 units once a day"),
    ("insulin-degludec", "the first dose is 10 units once a day", "the first dose is 10 units/kg once a day"),
    ("lactulose", "The usual dose is 15 to 30 mL once a day", "The usual dose is 15 to 30 L once a day"),
    ("lactulose", "your doctor may increase it to 60 mL a day", "your doctor may increase it to 600 mL a day"),
    ("ondansetron", "Take 8 mg 30 minutes", "Take 8 g 30 minutes"),
    ("albuterol", "The usual dose is 2 puffs", "The usual dose is 20 puffs"),
]


@pytest.mark.parametrize(("drug", "correct", "slip"), SLIPS, ids=lambda v: v if " " not in v else None)
def test_a_tenfold_slip_or_a_unit_swap_fails_the_gate(drug: str, correct: str, slip: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    [source] = [p for p in MINE if p.parent.name == drug]
    text = source.read_text(encoding="utf-8")
    assert text.count(correct) == 1, "the correct text must appear once in the fixture"
    target = tmp_path / "records" / drug / source.name
    target.parent.mkdir(parents=True)
    target.write_text(text.replace(correct, slip), encoding="utf-8")
    line = text[:text.index(correct)].count("\n") + 1
    code, out = _check(capsys, target)
    assert code == 1, out
    slips = [row for row in out.splitlines() if " ML313 " in row]
    assert len(slips) == 1 and f".yaml:{line}:" in slips[0], out


def _first_prose_dose(path: Path) -> tuple[int, int, str] | None:
    """Where the first dose of this drug quoted in the text is, as source offsets of its number, or None."""
    record, _, _ = load.load_text(path.read_bytes(), str(path), expected=None)
    assert record is not None
    prose = units._prose(record)
    # A volume of a liquid ("5 mL of the syrup") against doses in mg is not comparable without a concentration,
    # so only amounts in a unit of the same kind as some structured dose are slipped.
    dosed = [u for e in record.data.get("dosing") or [] if isinstance(e, dict) and isinstance(e.get("dose"), dict)
             for u in [house_units.parse(str(e["dose"].get("unit")))] if u is not None]
    found = [quantities.Found(n.offset + n.num_start, n.offset + n.end, n.value, n.unit) for n in prose.numbers
             if n.unit is not None and any(house_units.same_amount_kind(n.unit, d) for d in dosed)]
    doses = {r.start for r in quantities.read(prose.joined, found, units._names(record))
             if r.role in (quantities.Role.DOSE, quantities.Role.PER_WEIGHT) and r.parts == 1}
    for number in prose.numbers:
        if number.offset + number.num_start in doses:
            pointer, segment = prose.segments[number.segment]
            span = record.source_span(pointer, number.num_start, number.num_end)
            assert span is not None
            return span[0], span[1], segment[number.num_start:number.num_end]
    return None


# Known recall gaps, reported as open work: the prose reader misses these slips. The list must shrink, never grow:
# a record that newly passes with its slip fails this test, and so does one that newly gets caught.
KNOWN_MISSES: list[str] = ["levetiracetam", "oseltamivir"]


def test_a_tenfold_slip_in_the_first_prose_dose_of_every_reviewed_record_fails_the_gate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every record in records/ that quotes one of its doses in the text fails when that dose is ten times more."""
    slipped, missed = [], []
    for path in sorted((ROOT / "records").glob("*/*.yaml")):
        where = _first_prose_dose(path)
        if where is None:
            continue
        start, end, written = where
        text = path.read_text(encoding="utf-8")
        assert text[start:end] == written
        target = tmp_path / "records" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text[:start] + house_units.number(float(written.replace(",", "")) * 10) + text[end:],
                          encoding="utf-8")
        code, out = _check(capsys, target)
        if not (code == 1 and " ML313 " in out):
            missed.append(path.parent.name)
        slipped.append(path.parent.name)
    assert len(slipped) >= 4, slipped
    assert missed == KNOWN_MISSES, missed
