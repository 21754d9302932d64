"""Helper logic of the population rules (ML401-ML407): ages, population words in context, dose amounts;
and the seed page's family-4 defects at the places its README lists."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import example, given, strategies as st
from support import FIXTURES, lint_text

from medlint import growth, load, units
from medlint.populations import DOSING, NAMED, meant_matches, mentions
from medlint.rules.population import (
    age_range_mismatch,
    missing_population_dose,
    pediatric_cap_above_adult_dose as cap_above,
    pediatric_dose_without_cap as without_cap,
)
from medlint.rules.population.common import quantity

SEED = FIXTURES / "seed" / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"


@pytest.mark.parametrize(("text", "age", "stated"), [
    ("in people 16 years and older", "16 years", True),
    ("for 16-year-olds and older", "16 years", True),
    ("from 6 months of age", "6 months", True),
    ("in people 16 years and older", "12 years", False),
    ("in adults", "16 years", False),
])
def test_states_age(text: str, age: str, stated: bool) -> None:
    days = growth.age_days(age)
    assert days is not None
    assert age_range_mismatch._states_age(text, days) is stated


def _dosing_mentions(population: str, text: str) -> list[str]:
    return [m.group(0) for m in meant_matches(text, DOSING[population], population)]


@pytest.mark.parametrize(("text", "found"), [
    ("Common adult dosing range: 1.1 x 10^14", ["adult dosing"]),
    ("The adult dose is 1 g.", ["adult dose"]),
    ("Adults: 500 mg twice a day.", ["Adults:"]),
    ("Adults (18 and older): 500 mg.", ["Adults (18 and older):"]),
    ("Adults take 2 tablets.", ["Adults take"]),
    ("The dosage for most adults is 10 mg.", ["dosage for most adults"]),
    ("An adult's dose is larger.", ["adult's dose"]),
    # not a dose for adults
    ("SMA that starts in adulthood is different.", []),
    ("Adult-onset SMA is a different disease.", []),
    ("An adult should stay with the child for the whole infusion.", []),
    ("Adults caring for the child should wash their hands.", []),
    ("The child gets much less than the adult dose.", []),
    ("It is the same as the adult dose.", []),
    ("Do not use an adult dose chart.", []),
    ("Dosing in adults has not been studied.", []),
    ("The adult dose is not known.", []),
    ("Parents give the medicine by mouth.", []),
])
def test_adult_dosing_in_prose(text: str, found: list[str]) -> None:
    assert _dosing_mentions("adult", text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("Children 6 to 11 years: 4 mcg/kg/day.", ["Children 6 to 11 years:"]),
    ("The children's dose is worked out by weight.", ["children's dose"]),
    ("Pediatric patients: 10 mg/kg.", ["Pediatric patients:"]),
    ("Children take 5 mL.", ["Children take"]),
    ("Children 2 years and older take 5 mL.", ["Children 2 years and older take"]),
    ("The dose for children is the same as for adults.", ["dose for children"]),
    ("Teens also take the same dose.", ["Teens also take"]),
    # not a dose for children
    ("Keep this medicine out of the reach of children.", []),
    ("Keep out of the sight and reach of children.", []),
    ("Pediatric dosing has not been established.", []),
    ("A dose for children is not given here.", []),
    ("Not for use in children.", []),
    ("If you are breastfeeding, ask how much reaches your infant dose by dose.", []),
    ("An accidental dose in a child needs a call to poison control.", []),
    ("In childhood-onset disease the dose is the same.", []),
    ("Women of child-bearing potential take 1 tablet.", []),
])
def test_pediatric_dosing_in_prose(text: str, found: list[str]) -> None:
    assert _dosing_mentions("pediatric", text) == found


@pytest.mark.parametrize(("text", "population", "named"), [
    ("Pediatric dose (15 kg to under 30 kg)", "pediatric", "Pediatric"),
    ("Paediatric dose", "pediatric", "Paediatric"),
    ("Children's dose", "pediatric", "Children"),
    ("Dose for neonates", "pediatric", "neonates"),
    ("Adolescent dose", "pediatric", "Adolescent"),
    ("Adult dose", "adult", "Adult"),
    ("Adults and children 40 kg and over", "adult", "Adults"),
    ("Adult-strength tablets", "adult", None),
    ("Infantile spasms dose", "pediatric", None),
    ("Starting dose", "pediatric", None),
    ("Starting dose", "adult", None),
])
def test_population_named_in_a_label(text: str, population: str, named: str | None) -> None:
    match = NAMED[population].search(text)
    assert (match.group(0) if match else None) == named


@pytest.mark.parametrize(("text", "established"), [
    ("Safety and effectiveness in pediatric patients have not been established.", False),
    ("Pediatric use is not established.", False),
    ("It has not been studied in children.", False),
    ("It is not approved for children.", False),
    ("Children 5 years and older can use it.", True),
    ("It is not a cure. Children can use it.", True),
])
def test_pediatric_use_not_established(text: str, established: bool) -> None:
    assert (missing_population_dose._NOT_ESTABLISHED.search(text) is None) is established


def test_quantity_takes_the_high_end_and_ignores_non_numbers() -> None:
    assert quantity({"low": 500, "high": 875, "unit": "mg"}, "value", "high") == (875, units.parse("mg"))
    assert quantity({"value": True, "unit": "mg"}, "value") is None
    assert quantity({"value": 5, "unit": "mgs"}, "value") is None
    assert quantity({"value": 5}, "value") is None
    assert quantity("5 mg", "value") is None


def test_ceiling_converts_and_keeps_to_the_route() -> None:
    mg, g, mg_day = units.parse("mg"), units.parse("g"), units.parse("mg/day")
    assert mg is not None and g is not None and mg_day is not None
    adults = [cap_above._Amount(875, mg, 0, "oral"), cap_above._Amount(1, g, 1, "intravenous"),
              cap_above._Amount(4000, mg_day, 2, "oral")]
    ceilings = cap_above._ceilings(adults)
    ceiling = cap_above._ceiling(ceilings, g, "oral")
    assert ceiling is not None and ceiling.entry == 0 and ceiling.value == pytest.approx(0.875)
    assert cap_above._ceiling(ceilings, mg, "intravenous") == cap_above._Amount(1000, g, 1, "intravenous")
    assert cap_above._ceiling(ceilings, mg, "rectal") is None
    more = cap_above._ceilings([*adults, cap_above._Amount(0.9, g, 3, "oral")])
    assert cap_above._ceiling(more, mg, "oral") == cap_above._Amount(900, g, 3, "oral")


_ENTRY = st.fixed_dictionaries({
    "population": st.sampled_from(["adult", "pediatric"]),
    "route": st.sampled_from(["oral", "intravenous"]),
    "dose": st.fixed_dictionaries({"value": st.sampled_from([0.5, 1, 2, 10, 40, 875, 1000, 5000]),
                                   "unit": st.sampled_from(["mg", "g", "mcg", "mg/day", "g/day", "mg/kg",
                                                            "mg/kg/day", "mL", "units"])}),
    "frequency": st.sampled_from(["once daily", "every 6 hours", "every 2 hours", "twice a day", "as needed", "once"]),
})


@given(st.lists(_ENTRY, max_size=8))
@example([  # the adult rate (125 kg) passes the child's daily dose later than the adult dose (100 kg)
    {"population": "pediatric", "route": "oral", "dose": {"value": 10, "unit": "mg/kg"}, "frequency": "every 6 hours"},
    {"population": "adult", "route": "oral", "dose": {"value": 1000, "unit": "mg"}, "frequency": "every 2 hours"},
    {"population": "adult", "route": "oral", "dose": {"value": 5000, "unit": "mg/day"}, "frequency": "once daily"}])
def test_a_child_dose_is_compared_with_the_adult_doses_that_matter(entries: list[dict[str, object]]) -> None:
    """ML405 and ML406 compare each child's dose with a few adult entries found once, not with every adult
    entry (quadratic in the entries): the answer is the one every adult entry gives."""
    record = load.load_text(yaml.safe_dump({"dosing": entries}).encode(), "x.yaml").record
    assert record is not None
    strongest = without_cap._strongest_adults(record)
    amounts = cap_above._adult_amounts(record)
    for child in entries:
        if child["population"] != "pediatric":
            continue
        every = [without_cap._reach(child, adult, n) for n, adult in enumerate(entries)
                 if adult["population"] == "adult" and adult["route"] == child["route"]]
        few = [without_cap._reach(child, adult, n) for n, adult in strongest.get(str(child["route"]), ())]
        best = max((r.weight for r in every if r is not None), default=None)
        assert max((r.weight for r in few if r is not None), default=None) == pytest.approx(best)
        unit = units.parse(str(child["dose"]["unit"]))  # type: ignore[index]
        assert unit is not None
        scan = [a.value * f for a in amounts if a.route == child["route"]
                and (f := units.factor(a.unit, unit)) is not None]
        ceiling = cap_above._ceiling(cap_above._ceilings(amounts), unit, child["route"])
        assert (ceiling.value if ceiling else None) == pytest.approx(max(scan, default=None))


def test_the_seed_page_has_both_family_4_defects_where_its_readme_lists_them() -> None:
    readme = (SEED.parent.parent.parent / "README.md").read_text(encoding="utf-8")
    family = readme.split("### Pediatric versus adult dose labelling")[1].split("###")[0]
    listed = {tuple(map(int, m.groups())) for m in re.finditer(r"\*\*(\d+):(\d+)\*\*", family)}
    findings = lint_text(SEED.read_bytes())
    found = {(f.line, f.column) for f in findings if f.code.startswith("ML4")}
    assert listed == {(66, 12), (67, 5)}
    assert found == listed


@pytest.mark.parametrize("word", [
    "adult", "Adults", "pediatric", "Paediatrics", "child", "Children", "infant", "infants", "neonate", "neonatal",
    "newborns", "adolescent", "teens", "Teenager", "toddlers", "kids",
])
def test_every_population_word_passes_the_stem_screen(word: str) -> None:
    """The cheap screen must never hide a word the patterns would match."""
    population = "adult" if word.lower().startswith("adult") else "pediatric"
    assert NAMED[population].fullmatch(word)
    assert mentions(f"A {word} here", population)
