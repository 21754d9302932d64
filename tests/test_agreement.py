"""Whether prose amounts agree with the dosing: the candidates a dosing allows, and the verdicts."""
from __future__ import annotations

import pytest
from reading_support import read_marked

from medlint import agreement


def _candidates(dosing: list[dict[str, object]]) -> tuple[agreement.Candidate, ...]:
    return agreement.candidates(dosing)


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
    [reading] = read_marked(text)
    got = agreement.judge(reading, _candidates(_AMOXICILLIN))
    if verdict is None:
        assert got is None
    else:
        assert got is not None and got.dangerous is verdict[0] and verdict[1] in got.message, got


# levetiracetam: a fixed adult dose beside per-kg doses for babies and toddlers that have no cap
_LEVETIRACETAM = [
    {"dose": {"low": 500, "high": 1500, "unit": "mg"}, "frequency": "twice daily", "age_range": {"from": "16 years"}},
    {"dose": {"low": 10, "high": 25, "unit": "mg/kg"}, "frequency": "twice daily",
     "age_range": {"from": "6 months", "under": "4 years"}},
    {"dose": {"low": 7, "high": 21, "unit": "mg/kg"}, "frequency": "twice daily"},  # the indication's ages hold
]


@pytest.mark.parametrize(("text", "verdict"), [
    ("A toddler who weighs 12 kg takes [300 mg].", None),  # 25 mg/kg for 12 kg: a worked example
    ("It can be up to [600 mg] a day.", None),
    ("Adults start with [5,000 mg].", (True, "the dosing says 500 mg: a tenfold difference")),
    ("Adults start with [2,000 mg] twice a day.", (False, "any amount up to 25 mg/kg for a child under 4 years "
                                                          "(up to about 27 kg)")),
    ("Adults take [10,000 mg] a day.", (True, "tenfold")),
])
def test_an_uncapped_per_kg_dose_allows_amounts_up_to_the_heaviest_of_its_ages(text: str,
                                                                          verdict: tuple[bool, str] | None) -> None:
    [reading] = read_marked(text)
    got = agreement.judge(reading, agreement.candidates(_LEVETIRACETAM, {"from": "1 months", "under": "6 months"}))
    if verdict is None:
        assert got is None
    else:
        assert got is not None and got.dangerous is verdict[0] and verdict[1] in got.message, got


def test_without_an_age_or_weight_band_an_uncapped_per_kg_dose_allows_any_amount() -> None:
    # an adult per-kg dose (enoxaparin's 1 mg/kg): an adult can weigh anything
    allowed = agreement.candidates([{"dose": {"value": 1, "unit": "mg/kg"}, "frequency": "every 12 hours"}])
    [reading] = read_marked("A man who weighs 150 kg gets [150 mg].")
    assert agreement.judge(reading, allowed) is None


def test_frequency_gives_the_daily_amounts() -> None:
    daily = [c for c in _candidates([{"dose": {"value": 650, "unit": "mg"}, "frequency": "every 4 hours"}])
             if c.daily]
    assert [(c.low, c.high) for c in daily] == [(3900, 3900)]
    as_needed = _candidates([{"dose": {"value": 650, "unit": "mg"}, "frequency": "as needed"}])
    assert [c.daily for c in as_needed] == [False]  # no rate: a daily amount cannot be told


def test_a_step_below_the_range_is_not_a_slip() -> None:
    dosing = _candidates([{"dose": {"low": 2.5, "high": 10, "unit": "mg"}, "frequency": "once daily"}])
    [step] = read_marked("Then lower it to [0.25 mg].")
    assert agreement.judge(step, dosing) is None
    [above] = read_marked("Then increase to [100 mg].")
    verdict = agreement.judge(above, dosing)
    assert verdict is not None and verdict.dangerous


def test_malformed_dosing_gives_no_candidates() -> None:
    assert _candidates([{"dose": {"value": "five", "unit": "mg"}}, {"dose": {"low": 5, "high": 1, "unit": "mg"}},
                        {"dose": {"value": float("inf"), "unit": "mg"}}, {"dose": {"value": 5, "unit": "furlongs"}},
                        {"dose": "5 mg"}]) == ()


def test_numbers_past_float_range_are_no_amounts() -> None:
    assert _candidates([{"dose": {"value": int("9" * 400), "unit": "mg"}}]) == ()


def test_extreme_numbers_are_judged_without_error() -> None:
    allowed = _candidates([{"dose": {"value": 1e-320, "unit": "mg"}, "max_dose": {"value": 1e308, "unit": "mg/day"},
                            "frequency": "every 4 hours"},
                           {"dose": {"value": 5, "unit": "mg/kg"}, "frequency": "twice daily"}])
    for text in ("Take [0.000001 mg] a day.", "Take up to [999999999999 mg].", "Give [5 mg] per kilogram a day."):
        for reading in read_marked(text):
            agreement.judge(reading, allowed)  # a verdict or none, never an exception
