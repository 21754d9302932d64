"""Whom a dose in the prose is for: the groups of words that name people, their ages and weights, and which
amounts of a sentence they govern."""
from __future__ import annotations

import math
import re

import pytest

from medlint import whom
from medlint.whom import Band, Who, Whom

_YEAR = 365.25
_CHILD = Who("child", None)
_ADULT = Who("adult", None)


def _whom(text: str) -> list[Whom | None]:
    """Whom each amount (`<number> mg`) of the text is for."""
    amounts = [m.start() for m in re.finditer(r"[0-9][0-9,.]* m?g\b", text)]
    reader = whom.Reader(text, amounts)
    return [reader.whom(position) for position in amounts]


@pytest.mark.parametrize(("text", "weights"), [
    ("A child who weighs 20 kg takes 140 mg every 12 hours.", Band(20, 20, closed=True)),
    ("A 15 kg child takes 100 mg.", Band(15, 15, closed=True)),
    ("A 20-kg child takes 140 mg.", Band(20, 20, closed=True)),
    ("For a child of 20 kg, the dose is 140 mg.", Band(20, 20, closed=True)),
    ("Weighing 20 kg, a child takes 140 mg.", Band(20, 20, closed=True)),
    ("Children who weigh 43 kg or more take 600 mg a day.", Band(43, math.inf)),
    ("Children over 40 kg take 500 mg.", Band(40, math.inf)),
    ("Children who weigh less than 15 kg take 30 mg.", Band(0, 15)),
    ("Children who weigh 15 kg or less take 30 mg.", Band(0, 15, closed=True)),
    ("Children who weigh 15 to 23 kg take 45 mg.", Band(15, 23, closed=True)),
    ("Children who weigh 15 kg to under 23 kg take 45 mg.", Band(15, 23)),
    ("A child who weighs 44 pounds (20 kg) takes 300 mg.", Band(20, 20, closed=True)),
])
def test_a_stated_weight_or_weight_band(text: str, weights: Band) -> None:
    [found] = _whom(text)
    assert found is not None and found.weights == (weights,)


@pytest.mark.parametrize(("text", "who"), [
    ("Adults start with 500 mg twice a day.", (_ADULT,)),
    ("For meningitis, adults get 4 g in 24 hours.", (_ADULT,)),
    ("The adult dose is 500 mg.", (_ADULT,)),
    ("Teens and adults take 500 mg.", (Who("child", Band(12 * _YEAR, 18 * _YEAR)), _ADULT)),
    ("Adults and children 12 years and older take 500 mg.", (_ADULT, Who("child", Band(12 * _YEAR, math.inf)))),
    ("Children 4 to 15 years old start with 10 mg.", (Who("child", Band(4 * _YEAR, 16 * _YEAR)),)),
    ("Babies 2 weeks to under 1 year get 3 mg.", (Who("child", Band(14, _YEAR)),)),
    ("Children under 2 years take 5 mg.", (Who("child", Band(0, 2 * _YEAR)),)),
    ("People 2 weeks of age and older take 5 mg.", (Who(None, Band(14, math.inf)),)),
    ("Children need less than adults: 250 mg.", (_CHILD,)),  # "than adults" names no one
    ("A child who is 4 or 5 years old takes 240 mg.", (Who("child", Band(4 * _YEAR, 6 * _YEAR)),)),
    ("Adults can also take the children's liquid: 640 mg.", (_ADULT,)),  # a product, not the children
])
def test_a_population_and_its_ages(text: str, who: tuple[Who, ...]) -> None:
    [found] = _whom(text)
    assert found is not None and found.who == who


@pytest.mark.parametrize("text", [
    "Take 500 mg twice a day.",
    "Keep the 500 mg tablets out of the reach of children.",
    "It is half the adult dose, 250 mg.",
    "This is not the dose for adults, who take 500 mg.",
    "Take 5 mg for 5 to 10 days.",  # a duration is no age
    "You may lose 5 kg while taking 2.4 mg.",  # a change in weight is no body weight
    "Each 5 kg pack holds 500 mg.",  # nor is a weight that names no one
    "Children's Claritin syrup has 5 mg in each 5 mL.",
])
def test_no_one_named(text: str) -> None:
    assert _whom(text) == [None]


def test_several_groups_in_a_sentence_when_the_order_is_plain() -> None:
    ten, twenty = Whom((_CHILD,), (Band(10, 10, closed=True),)), Whom((_CHILD,), (Band(20, 20, closed=True),))
    assert _whom("A 10 kg child takes 70 mg and a 20 kg child takes 140 mg.") == [ten, twenty]
    assert _whom("Give 70 mg to a 10 kg child and 140 mg to a 20 kg child.") == [ten, twenty]
    assert _whom("Adults take 500 mg and children take 250 mg.") == [Whom((_ADULT,), ()), Whom((_CHILD,), ())]
    # an amount before the first group and another after the last: which group is whose is not plain
    assert _whom("Give 70 mg to a 10 kg child, while a 20 kg child takes 140 mg.") == [None, None]


def test_a_group_governs_its_sentence_only() -> None:
    assert _whom("Adults take 500 mg. The liquid has 250 mg in each 5 mL; take 5 mg.") == [
        Whom((_ADULT,), ()), None, None]


_CHILDREN = {"population": "pediatric", "age_range": {"from": "6 months", "under": "13 years"},
             "weight_range": {"under": "40 kg"}}
_ADULTS = {"population": "adult", "age_range": {"from": "13 years"}}
_ADULTS_18 = {"population": "adult", "age_range": {"from": "18 years"}}
_BABIES = {"population": "pediatric", "age_range": {"from": "2 weeks", "under": "12 months"}}


@pytest.mark.parametrize(("people", "entry", "holds"), [
    (Whom((_ADULT,), ()), _ADULTS, True),
    (Whom((_ADULT,), ()), _CHILDREN, False),
    (Whom((_CHILD,), ()), _ADULTS, True),  # "Adults and teens (13 years and older)" also hold older children
    (Whom((_CHILD,), ()), _ADULTS_18, False),
    (Whom((Who("child", Band(4 * _YEAR, 12 * _YEAR)),), ()), _BABIES, False),
    (Whom((Who("child", Band(4 * _YEAR, 12 * _YEAR)),), ()), _CHILDREN, True),
    (Whom((), (Band(20, 20, closed=True),)), _BABIES, False),  # no baby under 1 year weighs 20 kg
    (Whom((), (Band(20, 20, closed=True),)), _CHILDREN, True),
    (Whom((), (Band(40, 40, closed=True),)), _CHILDREN, False),  # 40 kg is not under 40 kg
    (Whom((), (Band(0, 40, closed=True),)), _CHILDREN, True),
    (Whom((), (Band(40, math.inf),)), _ADULTS, True),
])
def test_which_entries_can_be_for_them(people: Whom, entry: dict[str, object], holds: bool) -> None:
    assert people.holds(entry) is holds


def test_the_weights_an_entry_holds_of_a_stated_band() -> None:
    people = Whom((), (Band(30, math.inf),))
    held = people.weighs(_CHILDREN, None, Band(30, math.inf))
    assert held is not None and (held.low, held.high) == (30, 40)
    babies = people.weighs(_BABIES, None, Band(0, 15, closed=True))
    assert babies is not None and babies.low == 0 and 14 < babies.high < 15  # the heaviest baby under 1 year


@pytest.mark.parametrize(("who", "entry", "weights"), [
    (Who("child", Band(12 * _YEAR, math.inf)), _CHILDREN, (23, 27, 90, 110)),  # 12 to under 13 years
    (Who("child", Band(4 * _YEAR, 6 * _YEAR)), _CHILDREN, (10.5, 12.5, 35, 45)),
    (Who("child", Band(0, 2 * _YEAR)), _CHILDREN, (0, 0, 15, 20)),  # no least weight under 2 years
])
def test_what_children_of_the_stated_ages_weigh(who: Who, entry: dict[str, object],
                                                weights: tuple[float, float, float, float]) -> None:
    band = whom.aged(who, entry)
    assert band is not None and weights[0] <= band.low <= weights[1] and weights[2] < band.high < weights[3]


def test_no_weights_without_ages_or_past_the_charts() -> None:
    assert whom.aged(_CHILD, _CHILDREN) is None
    assert whom.aged(Who("adult", Band(12 * _YEAR, math.inf)), _ADULTS) is None  # an adult can weigh anything


def test_the_people_an_entry_is_for() -> None:
    people = whom.of_entry(_CHILDREN)
    assert people.who == (Who("child", Band(0.5 * _YEAR, 13 * _YEAR)),) and people.weights == (Band(0, 40),)


@pytest.mark.parametrize(("text", "weights"), [
    ("Under 15 kg, it is 30 mg.", Band(0, 15)),
    ("From 15 kg to under 23 kg, it is 45 mg.", Band(15, 23)),
    ("At 20 kg, the dose is 140 mg.", Band(20, 20, closed=True)),
    ("For 15 to 23 kg: 45 mg twice a day.", Band(15, 23, closed=True)),
    ("From 40 kg, it is 75 mg.", Band(40, math.inf)),
])
def test_a_weight_that_opens_its_sentence_as_a_condition(text: str, weights: Band) -> None:
    [found] = _whom(text)
    assert found is not None and found.weights == (weights,)


def test_a_weight_inside_a_sentence_without_a_person_names_no_one() -> None:
    assert _whom("The dose is 45 mg from 15 kg to under 23 kg.") == [None]
    assert _whom("Under 15 kg the dose is 30 mg.") == [None]  # no comma: not plainly a condition
