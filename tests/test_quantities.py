"""The prose reader: the role each amount gets from the words around it, and how it is judged."""
from __future__ import annotations

import re

import pytest

from medlint import quantities, units
from medlint.quantities import Role

_AMOUNT = re.compile(r"\[(?P<num>[0-9][0-9,.]*) (?P<unit>[^\]]+)\]")


def _read(marked: str, names: tuple[str, ...] = ("cefdinir",)) -> list[quantities.Reading]:
    """The readings of a text whose amounts are marked `[5 mg]` (so the test does not depend on the scanner)."""
    found, text, shift = [], "", 0
    for match in _AMOUNT.finditer(marked):
        text += marked[shift:match.start()]
        start = len(text)
        text += f"{match['num']} {match['unit']}"
        unit = units.parse(match["unit"])
        assert unit is not None, match["unit"]
        found.append(quantities.Found(start, len(text), float(match["num"].replace(",", "")), unit))
        shift = match.end()
    text += marked[shift:]
    return list(quantities.read(text, found, names))


@pytest.mark.parametrize(("text", "roles"), [
    ("Take [500 mg] twice a day.", [Role.DOSE]),
    ("The dose is [14 mg] per kilogram of body weight each day.", [Role.PER_WEIGHT]),
    ("Give [7 mg] for each kilogram every 12 hours.", [Role.PER_WEIGHT]),
    ("[0.5 mg] per square meter of body surface area.", [Role.PER_WEIGHT]),
    ("The liquid has [125 mg] in each [5 mL].", [Role.STRENGTH, Role.STRENGTH]),
    ("Each tablet has [10 mg].", [Role.STRENGTH]),
    ("It has [6 mg] in each mL.", [Role.STRENGTH]),
    ("It comes in [5 mg] and [10 mg] tablets.", [Role.STRENGTH, Role.STRENGTH]),
    ("One puff a day from a [100 mcg] or a [200 mcg] inhaler.", [Role.OTHER, Role.OTHER]),
    ("Take a maximum of [3,000 mg] a day.", [Role.MAXIMUM]),
    ("Do not take more than [4,000 mg] in 24 hours.", [Role.MAXIMUM]),
    ("No single dose should be more than [875 mg].", [Role.MAXIMUM]),
    ("Give up to [2 mg].", [Role.MAXIMUM]),
    ("The most a child gets is [600 mg] a day.", [Role.MAXIMUM]),
    ("Start with [0.25 mg], then [1 mg], then increase to [2 mg].", [Role.DOSE, Role.STEP, Role.STEP]),
    ("The dose goes up by [500 mg] each week.", [Role.CHANGE]),
    ("Each pen holds [300 units].", [Role.OTHER]),
    ("The pen can give up to [80 units] in one shot.", [Role.OTHER]),
    ("Take vitamin D [400 units] a day.", [Role.OTHER]),
    ("Many women need [1,200 mg] of calcium.", [Role.OTHER]),
    ("Do not take it with [500 mg] of acetaminophen.", [Role.OTHER]),
    ("Give [5 mL] of the children's liquid.", [Role.DOSE]),
    ("Take [200 mg] of cefdinir.", [Role.DOSE]),
    ("More than [4,000 mg] a day can harm the liver.", [Role.THRESHOLD]),
    ("About [50 %] of people feel better.", [Role.OTHER]),
    ("It is given as [2 mg] a day, [1 g] in total.", [Role.DOSE, Role.TOTAL]),
])
def test_roles(text: str, roles: list[Role]) -> None:
    assert [r.role for r in _read(text)] == roles


def test_a_rate_in_words_is_read_into_the_unit() -> None:
    [per_kg_day] = _read("Children take [14 mg] per kilogram each day.")
    assert (per_kg_day.base.text, per_kg_day.daily, per_kg_day.value) == ("mg/kg", True, 14)
    [weekly] = _read("That is [70 mg] a week.")
    assert weekly.daily and weekly.value == pytest.approx(10)
    assert _read("Give [2 mg] per pound.") == []  # a measure a dose is not written in: not read


def test_parts_of_a_divided_dose() -> None:
    [part] = _read("Given as two shots of [100 mg] each.")
    assert part.parts == 2


def test_units_written_out_and_litres_are_found() -> None:
    found = list(quantities.spelled_out("Take 5 milligrams, 2 L of water, 1 unit, 3 units and 0.5 microgram/kg."))
    assert [(f.value, f.unit.text) for f in found] == [(5, "mg"), (2, "L"), (1, "units"), (0.5, "mcg/kg")]


def _candidates(dosing: list[dict[str, object]]) -> tuple[quantities.Candidate, ...]:
    return quantities.candidates(dosing)


_AMOXICILLIN = [
    {"dose": {"low": 500, "high": 875, "unit": "mg"}, "frequency": "every 12 hours"},
    {"dose": {"low": 25, "high": 45, "unit": "mg/kg/day"}, "max_dose": {"value": 875, "unit": "mg"},
     "frequency": "every 12 hours", "weight_range": {"under": "40 kg"}},
]


@pytest.mark.parametrize(("text", "verdict"), [
    ("Take [700 mg].", None),  # inside the range
    ("Take [1,750 mg] a day.", None),  # 875 mg every 12 hours
    ("Children take [45 mg] per kilogram each day.", None),
    ("Children take [22.5 mg] per kilogram every 12 hours.", None),  # 45 mg/kg/day in 2 doses
    ("A child who weighs 10 kg takes [225 mg].", None),  # a worked example, under the cap
    ("Take [1 g].", (False, "the dosing says 500 to 875 mg")),
    ("Take [8,750 mg].", (True, "tenfold")),
    ("Children take [450 mg] per kilogram each day.", (True, "tenfold")),
    ("Take [875 mcg].", (True, "the same number in another unit")),
    ("Children take [300 mg] each day.", None),  # a fixed daily amount under the cap: a worked example
    ("Children take [45 mg] each day.", (True, "the dose for each kilogram of body weight given as the whole")),
])
def test_judge(text: str, verdict: tuple[bool, str] | None) -> None:
    [reading] = _read(text)
    got = quantities.judge(reading, _candidates(_AMOXICILLIN))
    if verdict is None:
        assert got is None
    else:
        assert got is not None and got.dangerous is verdict[0] and verdict[1] in got.message, got


def test_frequency_gives_the_daily_amounts() -> None:
    daily = [c for c in _candidates([{"dose": {"value": 650, "unit": "mg"}, "frequency": "every 4 hours"}])
             if c.daily]
    assert [(c.low, c.high) for c in daily] == [(3900, 3900)]
    as_needed = _candidates([{"dose": {"value": 650, "unit": "mg"}, "frequency": "as needed"}])
    assert [c.daily for c in as_needed] == [False]  # no rate: a daily amount cannot be told


def test_a_step_below_the_range_is_not_a_slip() -> None:
    dosing = _candidates([{"dose": {"low": 2.5, "high": 10, "unit": "mg"}, "frequency": "once daily"}])
    [step] = _read("Then lower it to [0.25 mg].")
    assert quantities.judge(step, dosing) is None
    [above] = _read("Then increase to [100 mg].")
    verdict = quantities.judge(above, dosing)
    assert verdict is not None and verdict.dangerous


def test_malformed_dosing_gives_no_candidates() -> None:
    assert _candidates([{"dose": {"value": "five", "unit": "mg"}}, {"dose": {"low": 5, "high": 1, "unit": "mg"}},
                        {"dose": {"value": float("inf"), "unit": "mg"}}, {"dose": {"value": 5, "unit": "furlongs"}},
                        {"dose": "5 mg"}]) == ()


def test_number_formatting() -> None:
    assert [quantities.number(v) for v in (875, 0.2, 1000, 1.1e14, 2.4e6)] == [
        "875", "0.2", "1,000", "1.1 × 10^14", "2.4 × 10^6"]


def test_numbers_past_float_range_are_no_amounts() -> None:
    assert _candidates([{"dose": {"value": int("9" * 400), "unit": "mg"}}]) == ()


def test_extreme_numbers_are_judged_without_error() -> None:
    allowed = _candidates([{"dose": {"value": 1e-320, "unit": "mg"}, "max_dose": {"value": 1e308, "unit": "mg/day"},
                            "frequency": "every 4 hours"},
                           {"dose": {"value": 5, "unit": "mg/kg"}, "frequency": "twice daily"}])
    for text in ("Take [0.000001 mg] a day.", "Take up to [999999999999 mg].", "Give [5 mg] per kilogram a day."):
        for reading in _read(text):
            quantities.judge(reading, allowed)  # a verdict or none, never an exception
