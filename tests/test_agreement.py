"""Whether prose amounts agree with the dosing: the candidates a dosing allows, and the verdicts."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from reading_support import marked, read_marked

from medlint import agreement, allowed_doses


def _candidates(dosing: Sequence[Mapping[str, object]]) -> tuple[allowed_doses.Candidate, ...]:
    return allowed_doses.candidates(dosing)


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
    got = agreement.judge(reading, allowed_doses.candidates(_LEVETIRACETAM, {"from": "1 months", "under": "6 months"}))
    if verdict is None:
        assert got is None
    else:
        assert got is not None and got.dangerous is verdict[0] and verdict[1] in got.message, got


def test_without_an_age_or_weight_band_an_uncapped_per_kg_dose_allows_any_amount() -> None:
    # an adult per-kg dose (enoxaparin's 1 mg/kg): an adult can weigh anything
    allowed = allowed_doses.candidates([{"dose": {"value": 1, "unit": "mg/kg"}, "frequency": "every 12 hours"}])
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


_CEFDINIR = [
    {"population": "pediatric", "dose": {"value": 7, "unit": "mg/kg"}, "max_dose": {"value": 300, "unit": "mg"},
     "frequency": "every 12 hours", "age_range": {"from": "6 months", "under": "13 years"}},
    {"population": "pediatric", "dose": {"value": 14, "unit": "mg/kg"}, "max_dose": {"value": 600, "unit": "mg"},
     "frequency": "every 24 hours", "age_range": {"from": "6 months", "under": "13 years"}},
]


def _verdicts(marked_text: str, dosing: Sequence[Mapping[str, object]], ages: object = None,
              owner: int | None = None) -> list[tuple[bool, str]]:
    text, found = marked(marked_text)
    return [(verdict.dangerous, verdict.message) for _, verdict in agreement.disagreements(
        text, found, ("cefdinir",), allowed_doses.Dosing.of(enumerate(dosing), ages), lambda _: owner)]


@pytest.mark.parametrize("text", [
    "A child who weighs 20 kg takes [140 mg] every 12 hours, or [280 mg] once a day.",
    "A 15 kg child takes [100 mg] twice a day.",  # 105 mg, as an editor rounds it
    "A child who weighs 18 kg takes [250 mg] once a day.",  # 252 mg: 5 mL of the 250 mg in 5 mL liquid
    "A child who weighs 50 kg takes [300 mg] every 12 hours.",  # 350 mg, over the cap
    "Children who weigh 43 kg or more take [600 mg] a day.",
    "A child who weighs 20 kg takes [280 mg] a day.",
])
def test_a_stated_weight_makes_the_per_kg_dose_an_amount(text: str) -> None:
    assert _verdicts(text, _CEFDINIR) == []


@pytest.mark.parametrize(("text", "verdict"), [
    ("A child who weighs 20 kg takes [1,400 mg].", (True, "the dosing says 140 mg for someone who weighs 20 kg "
                                                          "(7 mg/kg, up to 300 mg): a tenfold difference (more)")),
    ("A child who weighs 30 kg takes [21 mg].", (True, "tenfold difference (less)")),
    ("A 15 kg child takes [10 mg].", (True, "tenfold difference (less)")),  # a tenth of 105 mg, as rounded
    ("A child who weighs 20 kg takes [140 mcg].", (True, "the same number in another unit")),
    ("Children who weigh 43 kg or more take [60 mg] a day.", (True, "tenfold difference (less)")),
    ("A child who weighs 20 kg takes [200 mg].", (False, "140 mg for someone who weighs 20 kg (7 mg/kg, up to 300")),
])
def test_a_worked_example_that_disagrees_with_its_stated_weight(text: str, verdict: tuple[bool, str]) -> None:
    [(dangerous, message)] = _verdicts(text, _CEFDINIR)
    assert dangerous is verdict[0] and verdict[1] in message, message


def test_a_worked_example_without_a_weight_may_still_be_any_amount_up_to_the_cap() -> None:
    assert _verdicts("A child takes [21 mg] twice a day.", _CEFDINIR) == []


@pytest.mark.parametrize(("text", "verdict"), [
    ("Adults start with [50 mg] twice a day.", (True, "the dosing says 500 mg: a tenfold difference (less)")),
    ("Teens and adults start with [50 mg] twice a day.", (True, "tenfold difference (less)")),
    ("Adults start with [2,000 mg] twice a day.", (False, "the dosing says 500 to 1,500 mg")),
    ("Children 6 months to 3 years start with [5 mg].", None),  # 10 mg/kg for a baby of 5 kg
    ("Children start with [50 mg].", None),
    ("Adults start with [500 mg] twice a day, and children take [50 mg].", None),
    ("It is not the dose for adults: [50 mg].", None),  # names no one
])
def test_a_dose_for_the_people_the_sentence_names(text: str, verdict: tuple[bool, str] | None) -> None:
    got = _verdicts(text, _KEPPRA, {"from": "1 months"})
    if verdict is None:
        assert got == []
    else:
        [(dangerous, message)] = got
        assert dangerous is verdict[0] and verdict[1] in message, message


_KEPPRA = [dict(entry, population=population)
           for entry, population in zip(_LEVETIRACETAM, ("adult", "pediatric", "pediatric"), strict=True)]
_ONDANSETRON = [
    {"population": "adult", "dose": {"value": 8, "unit": "mg"}, "frequency": "twice daily",
     "age_range": {"from": "12 years"}},
    {"population": "pediatric", "dose": {"value": 4, "unit": "mg"}, "frequency": "three times daily",
     "age_range": {"from": "4 years", "under": "12 years"}},
    {"population": "pediatric", "dose": {"value": 0.15, "unit": "mg/kg"}, "max_dose": {"value": 16, "unit": "mg"},
     "frequency": "once", "age_range": {"from": "6 months", "under": "18 years"}},
]


def test_a_per_kg_dose_for_children_of_a_stated_age_gives_at_least_its_dose_for_the_lightest() -> None:
    # 0.15 mg/kg for children 4 to 11 years (11 kg or more): at least 1.7 mg; 0.4 mg is a tenth of the 4 mg
    [(dangerous, message)] = _verdicts("Children 4 to 11 years take [0.4 mg] three times a day.", _ONDANSETRON)
    assert dangerous and "the dosing says 4 mg: a tenfold difference (less)" in message
    assert _verdicts("Children 4 to 11 years take [4 mg] three times a day.", _ONDANSETRON) == []
    assert _verdicts("By vein, a child 5 years old gets [3 mg].", _ONDANSETRON) == []  # 0.15 mg/kg of 20 kg


def test_an_amount_in_an_entrys_own_text_is_no_worked_example_for_other_people() -> None:
    # levetiracetam's adult notes: 50 mg is 10 mg/kg for a 5 kg baby, but these notes are about adults
    [(dangerous, message)] = _verdicts("Start with [50 mg] twice a day.", _KEPPRA, owner=0)
    assert dangerous and "the dosing says 500 mg: a tenfold difference (less)" in message
    assert _verdicts("Start with [50 mg] twice a day.", _KEPPRA, owner=1) == []  # the toddlers' own notes
    assert _verdicts("Start with [50 mg] twice a day.", _KEPPRA) == []  # the FAQ: anyone's worked example


def test_a_cap_per_kg_is_a_cap_for_the_weight_stated() -> None:
    dosing = [{"population": "pediatric", "dose": {"value": 15, "unit": "mg/kg"},
               "max_dose": {"value": 100, "unit": "mg/kg/day"}, "frequency": "every 6 hours"}]
    assert _verdicts("A child who weighs 20 kg takes no more than [2,000 mg] in 24 hours.", dosing) == []
    [(dangerous, message)] = _verdicts("A child who weighs 20 kg takes no more than [20,000 mg] in 24 hours.",
                                       dosing)
    assert dangerous and "a maximum of 2,000 mg/day for someone who weighs 20 kg" in message, message
