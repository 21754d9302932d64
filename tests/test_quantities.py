"""The prose reader: the role each amount gets from the words around it, and what it measures."""
from __future__ import annotations

import pytest
from reading_support import read_marked

from medlint import quantities
from medlint.quantities import Role


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
    ("One EpiPen Jr ([0.15 mg]) into the outer thigh.", [Role.DOSE]),
    ("Give Tylenol ([500 mg]) for the fever.", [Role.OTHER]),
    ("Dexamethasone is [12 mg] on day 1 and [8 mg] on days 2 to 4.", [Role.OTHER, Role.OTHER]),
    ("With [12 mg] of dexamethasone, cefdinir is [300 mg].", [Role.OTHER, Role.DOSE]),
    ("Use [2 g] of gel each time, up to [32 g] of gel a day.", [Role.DOSE, Role.MAXIMUM]),
    ("Glucophage tablets come in [500 mg], [850 mg] and [1,000 mg] sizes.", [Role.STRENGTH] * 3),
    ("Take [200 mg] of cefdinir.", [Role.DOSE]),
    ("More than [4,000 mg] a day can harm the liver.", [Role.THRESHOLD]),
    ("Never take [75 mg] every day.", [Role.THRESHOLD]),
    ("Taking [10 g] at once can be fatal.", [Role.THRESHOLD]),
    ("About [50 %] of people feel better.", [Role.OTHER]),
    ("It is given as [2 mg] a day, [1 g] in total.", [Role.DOSE, Role.TOTAL]),
])
def test_roles(text: str, roles: list[Role]) -> None:
    assert [r.role for r in read_marked(text)] == roles


def test_a_rate_in_words_is_read_into_the_unit() -> None:
    [per_kg_day] = read_marked("Children take [14 mg] per kilogram each day.")
    assert (per_kg_day.base.text, per_kg_day.daily, per_kg_day.value) == ("mg/kg", True, 14)
    [hourly] = read_marked("The patch gives [25 mcg] an hour.")
    assert hourly.daily and hourly.value == pytest.approx(600)
    [weekly] = read_marked("That is [70 mg] a week.")
    assert weekly.daily and weekly.value == pytest.approx(10)
    assert read_marked("Give [2 mg] per pound.") == []  # a measure a dose is not written in: not read


def test_parts_of_a_divided_dose() -> None:
    [part] = read_marked("Given as two shots of [100 mg] each.")
    assert part.parts == 2


def test_units_written_out_and_litres_are_found() -> None:
    found = list(quantities.spelled_out("Take 5 milligrams, 2 L of water, 1 unit, 3 units and 0.5 microgram/kg."))
    assert [(f.value, f.unit.text) for f in found] == [(5, "mg"), (2, "L"), (1, "units"), (0.5, "mcg/kg")]
