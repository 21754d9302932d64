"""The weight bound by age: CDC's LMS parameters read back, and the bound's shape."""
from __future__ import annotations

import pytest

from medlint import growth

_YEAR = 365.25


def test_lms_reproduces_the_published_97th_percentile() -> None:
    # boys at 24 months in wtage.csv: L, M, S and the P97 column CDC publishes beside them
    assert growth._weight(-0.20615245, 12.6707633, 0.108125811, 1.880794) == pytest.approx(15.59648294, rel=1e-4)


@pytest.mark.parametrize(("years", "low", "high"), [(0.5, 10, 13), (2, 16, 19), (5, 30, 36), (10, 70, 80)])
def test_heaviest_child_of_an_age(years: float, low: float, high: float) -> None:
    heaviest = growth.heaviest_under(years * _YEAR)
    assert heaviest is not None and low < heaviest < high


def test_the_bound_grows_with_age_and_stops_at_20_years() -> None:
    bounds = [growth.heaviest_under(months * _YEAR / 12) for months in range(0, 241, 3)]
    assert all(b is not None for b in bounds)
    assert bounds == sorted(b for b in bounds if b is not None)
    assert growth.heaviest_under(21 * _YEAR) is None


@pytest.mark.parametrize(("text", "days"), [
    ("2 years", 730.5), ("24 months", 730.5), ("18 years", 6574.5), ("216 months", 6574.5), ("6 weeks", 42.0),
    ("28 days", 28.0), ("1.5 years", 547.875),
    ("two years", None), ("2 year", None), ("2years", None), (" 2 years", None), (2, None), (None, None),
])
def test_age_in_days(text: object, days: float | None) -> None:
    assert growth.age_days(text) == days


@pytest.mark.parametrize(("ages", "weights", "bound"), [
    ({"from": "6 months", "under": "4 years"}, None, (27.0, "4 years", True)),  # the growth charts
    (None, {"from": "15 kg", "under": "23 kg"}, (23.0, "23 kg", False)),
    ({"under": "13 years"}, {"under": "40 kg"}, (40.0, "40 kg", False)),  # the lesser of the two
    ({"under": "12 months"}, {"under": "40 kg"}, (14.7, "12 months", True)),
])
def test_the_heaviest_in_a_band_is_the_lesser_bound(ages: object, weights: object,
                                                     bound: tuple[float, str, bool]) -> None:
    got = growth.heaviest(ages, weights)
    assert got is not None and (got.under, got.by_age) == bound[1:] and got.weight == pytest.approx(bound[0], abs=0.1)


@pytest.mark.parametrize(("ages", "weights"), [
    (None, None), ({"from": "16 years"}, {"from": "40 kg"}),  # no end to either band: an adult weighs anything
    ({"under": "65 years"}, None),  # past the charts
    ({"under": "two years"}, {"under": "forty kg"}), ("4 years", ["40 kg"]),  # not as a record writes a band
])
def test_no_bound_without_an_end_the_charts_cover(ages: object, weights: object) -> None:
    assert growth.heaviest(ages, weights) is None


@pytest.mark.parametrize(("years", "low", "high"), [(2, 8, 10), (4, 10.5, 12.5), (12, 23, 27), (16, 35, 39)])
def test_lightest_child_of_an_age(years: float, low: float, high: float) -> None:
    lightest = growth.lightest_from(years * _YEAR)
    assert lightest is not None and low < lightest < high


def test_the_least_weight_grows_with_age_from_2_years_to_the_charts_end() -> None:
    bounds = [growth.lightest_from(months * _YEAR / 12) for months in range(24, 240, 3)]
    assert all(b is not None for b in bounds)
    assert bounds == sorted(b for b in bounds if b is not None)
    # a baby born early weighs less than the charts of babies born at term say; past 20 years, anything
    assert growth.lightest_from(1.9 * _YEAR) is None and growth.lightest_from(21 * _YEAR) is None
    for years in (2, 5, 12, 19):
        light, heavy = growth.lightest_from(years * _YEAR), growth.heaviest_under(years * _YEAR)
        assert light is not None and heavy is not None and light < heavy
